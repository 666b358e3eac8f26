using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>
/// The outcome of login negotiation; every key never negotiated keeps its RFC 7143 section 13 default.
/// </summary>
public sealed record NegotiatedParameters
{
    /// <summary>RFC 7143 13.12 default for MaxRecvDataSegmentLength in both directions.</summary>
    public const int DefaultMaxRecvDataSegmentLength = 8192;

    // Declarations.
    public SessionType SessionType { get; init; } = SessionType.Normal;

    public string? InitiatorName { get; init; }

    public string? InitiatorAlias { get; init; }

    public string? TargetName { get; init; }

    // Session-wide (leading-only) values.
    public int MaxConnections { get; init; } = 1;

    public bool InitialR2T { get; init; } = true;

    public bool ImmediateData { get; init; } = true;

    public int MaxBurstLength { get; init; } = 262_144;

    public int FirstBurstLength { get; init; } = 65_536;

    public int DefaultTime2Wait { get; init; } = 2;

    public int DefaultTime2Retain { get; init; } = 20;

    public int MaxOutstandingR2T { get; init; } = 1;

    public bool DataPduInOrder { get; init; } = true;

    public bool DataSequenceInOrder { get; init; } = true;

    public int ErrorRecoveryLevel { get; init; }

    /// <summary>RFC 7143 13.24 iSCSIProtocolLevel; 0 when not negotiated (RFC 3720 behaviour).</summary>
    public int ProtocolLevel { get; init; }

    // Connection values.

    /// <summary>HeaderDigest=CRC32C.</summary>
    public bool HeaderDigest { get; init; }

    /// <summary>DataDigest=CRC32C.</summary>
    public bool DataDigest { get; init; }

    /// <summary>Our receive limit after login: what we declared, or the default if we never did.</summary>
    public int MaxRecvDataSegmentLength { get; init; } = DefaultMaxRecvDataSegmentLength;

    /// <summary>The initiator's declared receive limit: the longest data segment we may send it.</summary>
    public int MaxSendDataSegmentLength { get; init; } = DefaultMaxRecvDataSegmentLength;

    /// <summary>Reader options for the full feature phase (digests start after the last Login Response).</summary>
    public PduReadOptions ToReadOptions() => new()
    {
        HeaderDigest = HeaderDigest,
        DataDigest = DataDigest,
        MaxRecvDataSegmentLength = MaxRecvDataSegmentLength,
    };

    /// <summary>Writer options for the full feature phase.</summary>
    public PduWriteOptions ToWriteOptions() => new(HeaderDigest, DataDigest);

    /// <summary>This session's values with the connection values back at their defaults, for a new connection.</summary>
    public NegotiatedParameters ForNewConnection() => this with
    {
        HeaderDigest = false,
        DataDigest = false,
        MaxRecvDataSegmentLength = DefaultMaxRecvDataSegmentLength,
        MaxSendDataSegmentLength = DefaultMaxRecvDataSegmentLength,
    };
}
