using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Login Response (RFC 7143 11.13):
/// <code>
///  0|.|.| 0x23      |T|C|.|.|CSG|NSG| Version-max   | Version-active|
///  4|TotalAHSLength | DataSegmentLength                             |
///  8| ISID (6 bytes)                                |  TSIH         |
/// 16| Initiator Task Tag                                            |
/// 20| Reserved                                                      |
/// 24| StatSN                                                        |
/// 28| ExpCmdSN                                                      |
/// 32| MaxCmdSN                                                      |
/// 36| Status-Class  | Status-Detail | Reserved                      |
/// 40-47 Reserved; data: text key=value pairs
/// </code>
/// </summary>
public sealed record LoginResponsePdu : IscsiPdu
{
    private const int VersionMaxOffset = 2;
    private const int VersionActiveOffset = 3;
    private const int TsihOffset = 14;
    private const int StatusClassOffset = 36;
    private const int StatusDetailOffset = 37;

    public override IscsiOpcode Opcode => IscsiOpcode.LoginResponse;

    public bool Transit { get; init; }

    public bool Continue { get; init; }

    public LoginStage CurrentStage { get; init; }

    public LoginStage NextStage { get; init; }

    public byte VersionMax { get; init; }

    public byte VersionActive { get; init; }

    /// <summary>The 6-byte Initiator Session ID in the low 48 bits.</summary>
    public ulong Isid { get; init; }

    public ushort Tsih { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    public LoginStatus Status { get; init; }

    internal static LoginResponsePdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data)
    {
        var flags = bhs[Bhs.FlagsOffset];
        return new LoginResponsePdu
        {
            Transit = LoginFlags.Transit(flags),
            Continue = LoginFlags.Continue(flags),
            CurrentStage = LoginFlags.CurrentStage(flags),
            NextStage = LoginFlags.NextStage(flags),
            VersionMax = bhs[VersionMaxOffset],
            VersionActive = bhs[VersionActiveOffset],
            Isid = Bhs.ReadIsid(bhs),
            Tsih = Bhs.ReadUInt16(bhs, TsihOffset),
            InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
            StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
            ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
            MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
            Status = LoginStatuses.FromBytes(bhs[StatusClassOffset], bhs[StatusDetailOffset]),
            Data = data,
        };
    }

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = LoginFlags.Compose(Transit, Continue, CurrentStage, NextStage);
        bhs[VersionMaxOffset] = VersionMax;
        bhs[VersionActiveOffset] = VersionActive;
        Bhs.WriteIsid(bhs, Isid);
        Bhs.WriteUInt16(bhs, TsihOffset, Tsih);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
        bhs[StatusClassOffset] = Status.StatusClass();
        bhs[StatusDetailOffset] = Status.StatusDetail();
    }
}
