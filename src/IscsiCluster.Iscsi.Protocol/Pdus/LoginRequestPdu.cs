using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Login Request (RFC 7143 11.12):
/// <code>
///  0|.|1| 0x03      |T|C|.|.|CSG|NSG| Version-max   | Version-min   |
///  4|TotalAHSLength | DataSegmentLength                             |
///  8| ISID (6 bytes)                                |  TSIH         |
/// 16| Initiator Task Tag                                            |
/// 20| CID                           | Reserved                      |
/// 24| CmdSN                                                         |
/// 28| ExpStatSN                                                     |
/// 32-47 Reserved; data: text key=value pairs
/// </code>
/// </summary>
public sealed record LoginRequestPdu : IscsiPdu
{
    /// <summary>RFC 7143 11.12.4: the only iSCSI version, 0x00.</summary>
    public const byte SupportedVersion = 0x00;

    private const int VersionMaxOffset = 2;
    private const int VersionMinOffset = 3;
    private const int TsihOffset = 14;
    private const int ConnectionIdOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public override IscsiOpcode Opcode => IscsiOpcode.LoginRequest;

    public bool Transit { get; init; }

    public bool Continue { get; init; }

    public LoginStage CurrentStage { get; init; }

    public LoginStage NextStage { get; init; }

    public byte VersionMax { get; init; }

    public byte VersionMin { get; init; }

    /// <summary>The 6-byte Initiator Session ID in the low 48 bits.</summary>
    public ulong Isid { get; init; }

    /// <summary>Target Session Identifying Handle; 0 for a new session.</summary>
    public ushort Tsih { get; init; }

    public ushort ConnectionId { get; init; }

    public uint CmdSN { get; init; }

    public uint ExpStatSN { get; init; }

    /// <summary>False when [VersionMin, VersionMax] excludes our version: answer UnsupportedVersion (0x0205).</summary>
    public bool OffersSupportedVersion => VersionMin <= SupportedVersion && SupportedVersion <= VersionMax;

    internal static LoginRequestPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data)
    {
        var flags = bhs[Bhs.FlagsOffset];
        return new LoginRequestPdu
        {
            Transit = LoginFlags.Transit(flags),
            Continue = LoginFlags.Continue(flags),
            CurrentStage = LoginFlags.CurrentStage(flags),
            NextStage = LoginFlags.NextStage(flags),
            VersionMax = bhs[VersionMaxOffset],
            VersionMin = bhs[VersionMinOffset],
            Isid = Bhs.ReadIsid(bhs),
            Tsih = Bhs.ReadUInt16(bhs, TsihOffset),
            InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
            ConnectionId = Bhs.ReadUInt16(bhs, ConnectionIdOffset),
            CmdSN = Bhs.ReadUInt32(bhs, CmdSnOffset),
            ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
            Data = data,
        };
    }

    internal override void WriteHeader(Span<byte> bhs)
    {
        // RFC 7143 11.12: the I bit is always 1 on a Login Request.
        Bhs.WriteOpcode(bhs, Opcode, immediate: true);
        bhs[Bhs.FlagsOffset] = LoginFlags.Compose(Transit, Continue, CurrentStage, NextStage);
        bhs[VersionMaxOffset] = VersionMax;
        bhs[VersionMinOffset] = VersionMin;
        Bhs.WriteIsid(bhs, Isid);
        Bhs.WriteUInt16(bhs, TsihOffset, Tsih);
        Bhs.WriteUInt16(bhs, ConnectionIdOffset, ConnectionId);
        Bhs.WriteUInt32(bhs, CmdSnOffset, CmdSN);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
    }
}
