using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Chap;

/// <summary>Where authentication stands after one Login Request.</summary>
public enum AuthenticationOutcome
{
    /// <summary>Send <see cref="AuthenticationStep.Response"/> and wait for the next request.</summary>
    Continue,

    /// <summary>The initiator is authenticated (and the target too, for mutual CHAP); send the response keys.</summary>
    Succeeded,

    /// <summary>End the login with <see cref="AuthenticationStep.Status"/>.</summary>
    Failed,
}

/// <summary>The result of <see cref="ChapAuthenticator.Process"/>. The failure reason never holds a secret.</summary>
public sealed record AuthenticationStep(AuthenticationOutcome Outcome, IReadOnlyList<TextKeyValue> Response, LoginStatus Status, string? FailureReason)
{
    internal static AuthenticationStep Continue(IReadOnlyList<TextKeyValue> response) => new(AuthenticationOutcome.Continue, response, LoginStatus.Success, null);

    internal static AuthenticationStep Succeed(IReadOnlyList<TextKeyValue> response) => new(AuthenticationOutcome.Succeeded, response, LoginStatus.Success, null);

    internal static AuthenticationStep Fail(string reason, IReadOnlyList<TextKeyValue>? response = null, LoginStatus status = LoginStatus.AuthenticationFailure) =>
        new(AuthenticationOutcome.Failed, response ?? [], status, reason);
}
