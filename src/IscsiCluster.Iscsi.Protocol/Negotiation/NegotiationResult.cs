using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>
/// The answer to one Login Request's keys: the keys to send back, or a login failure status
/// (the Login Response then carries that status and the login ends, RFC 7143 11.13.5).
/// </summary>
public sealed record NegotiationResult(LoginStatus Status, IReadOnlyList<TextKeyValue> Response, string? FailureReason)
{
    public bool Failed => Status != LoginStatus.Success;

    internal static NegotiationResult Fail(LoginStatus status, string reason) => new(status, [], reason);
}
