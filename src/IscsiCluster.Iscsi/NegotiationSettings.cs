using IscsiCluster.Iscsi.Protocol.Negotiation;

namespace IscsiCluster.Iscsi;

/// <summary>
/// The target's side of operational negotiation (RFC 7143 section 13), read from
/// <c>iscsi-cluster.iscsi.negotiation</c>.
/// </summary>
public sealed record NegotiationSettings
{
    private const string Section = "negotiation.";

    // RFC 7143 13.12-13.14: 512 to 2^24 - 1 bytes.
    private const int MinLength = 512;
    private const int MaxLength = 0xFF_FFFF;
    private const int MaxTime2 = 3600;

    public required int MaxRecvDataSegmentLength { get; init; }

    public required int MaxBurstLength { get; init; }

    public required int FirstBurstLength { get; init; }

    public required bool InitialR2T { get; init; }

    public required bool ImmediateData { get; init; }

    public required int MaxOutstandingR2T { get; init; }

    public required ushort DefaultTime2Wait { get; init; }

    public required ushort DefaultTime2Retain { get; init; }

    /// <summary>Whether HeaderDigest=CRC32C is accepted when the initiator offers it first.</summary>
    public required bool AllowHeaderDigest { get; init; }

    /// <summary>Whether DataDigest=CRC32C is accepted when the initiator offers it first.</summary>
    public required bool AllowDataDigest { get; init; }

    /// <summary>
    /// These settings as the protocol negotiator's limits. ErrorRecoveryLevel is 0 and
    /// MaxConnections 1; DataPDUInOrder and DataSequenceInOrder are always Yes (the data-out
    /// collector relies on in-order data).
    /// </summary>
    public TargetNegotiationLimits ToLimits() => new()
    {
        MaxRecvDataSegmentLength = MaxRecvDataSegmentLength,
        MaxBurstLength = MaxBurstLength,
        FirstBurstLength = FirstBurstLength,
        MaxOutstandingR2T = MaxOutstandingR2T,
        MaxConnections = 1,
        InitialR2T = InitialR2T,
        ImmediateData = ImmediateData,
        DataPduInOrder = true,
        DataSequenceInOrder = true,
        DefaultTime2Wait = DefaultTime2Wait,
        DefaultTime2Retain = DefaultTime2Retain,
        ErrorRecoveryLevel = 0,
        AllowHeaderDigest = AllowHeaderDigest,
        AllowDataDigest = AllowDataDigest,
    };

    internal static NegotiationSettings Create(Config.Config section)
    {
        var maxBurst = ReadLength(section, "max-burst-length");
        var firstBurst = ReadLength(section, "first-burst-length");
        if (firstBurst > maxBurst)
        {
            // RFC 7143 13.14: FirstBurstLength must not exceed MaxBurstLength.
            throw IscsiSettings.Invalid(Section + "first-burst-length", "must not exceed max-burst-length");
        }

        return new NegotiationSettings
        {
            MaxRecvDataSegmentLength = ReadLength(section, "max-recv-data-segment-length"),
            MaxBurstLength = maxBurst,
            FirstBurstLength = firstBurst,
            InitialR2T = section.GetBoolean("initial-r2t"),
            ImmediateData = section.GetBoolean("immediate-data"),
            MaxOutstandingR2T = IscsiSettings.ReadInt(section, "max-outstanding-r2t", 1, ushort.MaxValue, Section),
            DefaultTime2Wait = ReadSeconds(section, "default-time-2-wait"),
            DefaultTime2Retain = ReadSeconds(section, "default-time-2-retain"),
            AllowHeaderDigest = section.GetBoolean("allow-header-digest"),
            AllowDataDigest = section.GetBoolean("allow-data-digest"),
        };
    }

    private static int ReadLength(Config.Config section, string path) =>
        IscsiSettings.ReadSize(section, path, MinLength, MaxLength, Section);

    private static ushort ReadSeconds(Config.Config section, string path)
    {
        var value = section.GetTimeSpan(path);
        if (value < TimeSpan.Zero || value > TimeSpan.FromSeconds(MaxTime2) || value.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw IscsiSettings.Invalid(Section + path, $"must be whole seconds between 0s and {MaxTime2}s");
        }

        return (ushort)value.TotalSeconds;
    }
}
