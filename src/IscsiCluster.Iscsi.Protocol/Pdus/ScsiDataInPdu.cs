using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// SCSI Data-In (RFC 7143 11.7):
/// <code>
///  0|.|.| 0x25      |F|A|0 0 0|O|U|S| Reserved      |Status or Rsvd |
///  4|TotalAHSLength | DataSegmentLength                             |
///  8| LUN or Reserved                                               |
/// 16| Initiator Task Tag                                            |
/// 20| Target Transfer Tag or 0xffffffff                             |
/// 24| StatSN or Reserved                                            |
/// 28| ExpCmdSN                                                      |
/// 32| MaxCmdSN                                                      |
/// 36| DataSN                                                        |
/// 40| Buffer Offset                                                 |
/// 44| Residual Count                                                |
/// </code>
/// </summary>
public sealed record ScsiDataInPdu : IscsiPdu
{
    private const byte AcknowledgeBit = 0x40;
    private const byte OverflowBit = 0x04;
    private const byte UnderflowBit = 0x02;
    private const byte StatusBit = 0x01;
    private const int StatusOffset = 3;
    private const int TargetTransferTagOffset = 20;
    private const int DataSnOffset = 36;
    private const int BufferOffsetOffset = 40;
    private const int ResidualCountOffset = 44;

    public override IscsiOpcode Opcode => IscsiOpcode.ScsiDataIn;

    public bool Final { get; init; }

    /// <summary>A: the initiator must acknowledge with a DataACK SNACK (ErrorRecoveryLevel &gt; 0).</summary>
    public bool Acknowledge { get; init; }

    /// <summary>O: residual overflow (valid with S).</summary>
    public bool ResidualOverflow { get; init; }

    /// <summary>U: residual underflow (valid with S).</summary>
    public bool ResidualUnderflow { get; init; }

    /// <summary>S: this PDU carries the command's status (phase collapse); requires F.</summary>
    public bool HasStatus { get; init; }

    /// <summary>SCSI status byte, valid when <see cref="HasStatus"/>.</summary>
    public byte Status { get; init; }

    public ulong Lun { get; init; }

    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    public uint DataSN { get; init; }

    public uint BufferOffset { get; init; }

    public uint ResidualCount { get; init; }

    internal static ScsiDataInPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data)
    {
        var flags = bhs[Bhs.FlagsOffset];
        return new ScsiDataInPdu
        {
            Final = (flags & Bhs.FinalBit) != 0,
            Acknowledge = (flags & AcknowledgeBit) != 0,
            ResidualOverflow = (flags & OverflowBit) != 0,
            ResidualUnderflow = (flags & UnderflowBit) != 0,
            HasStatus = (flags & StatusBit) != 0,
            Status = bhs[StatusOffset],
            Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
            InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
            TargetTransferTag = Bhs.ReadUInt32(bhs, TargetTransferTagOffset),
            StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
            ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
            MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
            DataSN = Bhs.ReadUInt32(bhs, DataSnOffset),
            BufferOffset = Bhs.ReadUInt32(bhs, BufferOffsetOffset),
            ResidualCount = Bhs.ReadUInt32(bhs, ResidualCountOffset),
            Data = data,
        };
    }

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = (byte)((Final ? Bhs.FinalBit : 0) | (Acknowledge ? AcknowledgeBit : 0)
            | (ResidualOverflow ? OverflowBit : 0) | (ResidualUnderflow ? UnderflowBit : 0) | (HasStatus ? StatusBit : 0));
        bhs[StatusOffset] = HasStatus ? Status : (byte)0;
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
        Bhs.WriteUInt32(bhs, DataSnOffset, DataSN);
        Bhs.WriteUInt32(bhs, BufferOffsetOffset, BufferOffset);
        Bhs.WriteUInt32(bhs, ResidualCountOffset, ResidualCount);
    }
}
