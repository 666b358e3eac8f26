using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>What a login settled for a new session: identity, target, negotiated values and sequence numbers.</summary>
/// <param name="Tsih">The target-assigned session identifying handle.</param>
/// <param name="Key">Initiator name, ISID and target.</param>
/// <param name="Initiator">Who logged in.</param>
/// <param name="Nexus">The I_T nexus of a normal session; null for a discovery session.</param>
/// <param name="Target">The target of a normal session; null for a discovery session.</param>
/// <param name="Negotiated">The operational values both sides agreed on.</param>
/// <param name="ExpCmdSn">The CmdSN the first non-immediate command carries (the leading login's CmdSN).</param>
/// <param name="StatSn">The StatSN of the first status sent in full feature phase.</param>
/// <param name="ConnectionId">The CID of the session's one connection.</param>
internal sealed record SessionParameters(
    ushort Tsih,
    SessionKey Key,
    InitiatorContext Initiator,
    ITNexus? Nexus,
    TargetAccess? Target,
    NegotiatedValues Negotiated,
    uint ExpCmdSn,
    uint StatSn,
    ushort ConnectionId)
{
    /// <summary>Whether the session's routine lines are logged at Information; null logs them.</summary>
    public SessionLogTicket? Log { get; init; }

    /// <summary>The level of the session's opened, logout and closed lines.</summary>
    public Microsoft.Extensions.Logging.LogLevel RoutineLevel => Log?.Level ?? Microsoft.Extensions.Logging.LogLevel.Information;

    /// <summary>Whether this is a discovery session (SessionType=Discovery).</summary>
    public bool IsDiscovery => Target is null;
}

/// <summary>The outcome of operational negotiation (RFC 7143 section 13) the full feature phase depends on.</summary>
/// <param name="InitiatorMaxRecvDataSegmentLength">The largest data segment the initiator accepts (declared by it).</param>
/// <param name="TargetMaxRecvDataSegmentLength">The largest data segment this target accepts (declared by it).</param>
internal sealed record NegotiatedValues(
    bool InitialR2T,
    bool ImmediateData,
    int FirstBurstLength,
    int MaxBurstLength,
    int MaxOutstandingR2T,
    int InitiatorMaxRecvDataSegmentLength,
    int TargetMaxRecvDataSegmentLength,
    bool HeaderDigest,
    bool DataDigest,
    ushort DefaultTime2Wait,
    ushort DefaultTime2Retain)
{
    public DataOutLimits DataOutLimits => new(ImmediateData, InitialR2T, FirstBurstLength, MaxBurstLength, MaxOutstandingR2T);
}
