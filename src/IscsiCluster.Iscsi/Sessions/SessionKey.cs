namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// What identifies a session across logins (RFC 7143 4.4.3, 6.3.5): the initiator's name and
/// ISID together with the target. A new leading login with the same key reinstates the session.
/// Discovery sessions have an empty <paramref name="TargetName"/>.
/// </summary>
internal sealed record SessionKey(string InitiatorName, ulong Isid, string TargetName);
