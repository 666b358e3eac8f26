namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>
/// The target's side of operational negotiation: its limits and preferences (RFC 7143 section 13).
/// A plain record with working defaults; the runtime maps its configuration onto it.
/// </summary>
public sealed record TargetNegotiationLimits
{
    /// <summary>The receive limit we declare (RFC 7143 13.12); 512 to 16777215 bytes.</summary>
    public int MaxRecvDataSegmentLength { get; init; } = 256 * 1024;

    /// <summary>Upper bound of MaxBurstLength (RFC 7143 13.13, result Minimum).</summary>
    public int MaxBurstLength { get; init; } = 1024 * 1024;

    /// <summary>Upper bound of FirstBurstLength (RFC 7143 13.14, result Minimum, never above MaxBurstLength).</summary>
    public int FirstBurstLength { get; init; } = 64 * 1024;

    /// <summary>Upper bound of MaxOutstandingR2T (RFC 7143 13.17, result Minimum).</summary>
    public int MaxOutstandingR2T { get; init; } = 1;

    /// <summary>Upper bound of MaxConnections (RFC 7143 13.2, result Minimum).</summary>
    public int MaxConnections { get; init; } = 1;

    /// <summary>Our InitialR2T preference (RFC 7143 13.10, result OR): No lets unsolicited data flow.</summary>
    public bool InitialR2T { get; init; }

    /// <summary>Our ImmediateData preference (RFC 7143 13.11, result AND).</summary>
    public bool ImmediateData { get; init; } = true;

    /// <summary>Our DataPDUInOrder preference (RFC 7143 13.18, result OR).</summary>
    public bool DataPduInOrder { get; init; } = true;

    /// <summary>Our DataSequenceInOrder preference (RFC 7143 13.19, result OR).</summary>
    public bool DataSequenceInOrder { get; init; } = true;

    /// <summary>Our DefaultTime2Wait in seconds (RFC 7143 13.15, result Maximum).</summary>
    public int DefaultTime2Wait { get; init; } = 2;

    /// <summary>Our DefaultTime2Retain in seconds (RFC 7143 13.16, result Minimum).</summary>
    public int DefaultTime2Retain { get; init; } = 20;

    /// <summary>The highest ErrorRecoveryLevel we implement (RFC 7143 13.20, result Minimum).</summary>
    public int ErrorRecoveryLevel { get; init; }

    /// <summary>Whether HeaderDigest=CRC32C may be chosen (RFC 7143 13.1).</summary>
    public bool AllowHeaderDigest { get; init; } = true;

    /// <summary>Whether DataDigest=CRC32C may be chosen (RFC 7143 13.1).</summary>
    public bool AllowDataDigest { get; init; } = true;
}
