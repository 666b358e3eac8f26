namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>A live iSCSI session (an I_T nexus), as the node reports it for show.</summary>
/// <param name="Tid">The target it is logged in to.</param>
/// <param name="Sid">The session id (TSIH), what tgt prints as "I_T nexus: N".</param>
/// <param name="InitiatorName">The InitiatorName key of the login.</param>
/// <param name="InitiatorAlias">The InitiatorAlias key, or null ("none" in show).</param>
/// <param name="InitiatorAddress">The IP address of the session's first connection.</param>
/// <param name="Connections">The session's connections.</param>
public sealed record SessionInfo(
    int Tid,
    ulong Sid,
    string InitiatorName,
    string? InitiatorAlias,
    string InitiatorAddress,
    IReadOnlyList<ConnectionInfo> Connections);

/// <summary>One TCP connection of a session.</summary>
/// <param name="Cid">The connection id (CID) chosen by the initiator.</param>
/// <param name="Address">The initiator's IP address.</param>
public sealed record ConnectionInfo(uint Cid, string Address);
