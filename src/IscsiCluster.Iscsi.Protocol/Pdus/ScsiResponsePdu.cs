using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// SCSI Response (RFC 7143 11.4):
/// <code>
///  0|.|.| 0x21      |1|. .|o|u|O|U|.| Response      | Status        |
///  4|TotalAHSLength | DataSegmentLength                             |
///  8| Reserved                                                      |
/// 16| Initiator Task Tag                                            |
/// 20| SNACK Tag                                                     |
/// 24| StatSN                                                        |
/// 28| ExpCmdSN                                                      |
/// 32| MaxCmdSN                                                      |
/// 36| ExpDataSN                                                     |
/// 40| Bidirectional Read Residual Count                             |
/// 44| Residual Count                                                |
/// </code>
/// Data: SenseLength (2 bytes) + sense data, and/or response data (RFC 7143 11.4.7).
/// </summary>
public sealed record ScsiResponsePdu : IscsiPdu
{
    private const byte BidiOverflowBit = 0x10;
    private const byte BidiUnderflowBit = 0x08;
    private const byte OverflowBit = 0x04;
    private const byte UnderflowBit = 0x02;
    private const int ResponseOffset = 2;
    private const int StatusOffset = 3;
    private const int SnackTagOffset = 20;
    private const int ExpDataSnOffset = 36;
    private const int BidiResidualCountOffset = 40;
    private const int ResidualCountOffset = 44;

    public override IscsiOpcode Opcode => IscsiOpcode.ScsiResponse;

    /// <summary>o: bidirectional read residual overflow.</summary>
    public bool BidirectionalReadResidualOverflow { get; init; }

    /// <summary>u: bidirectional read residual underflow.</summary>
    public bool BidirectionalReadResidualUnderflow { get; init; }

    /// <summary>O: residual overflow.</summary>
    public bool ResidualOverflow { get; init; }

    /// <summary>U: residual underflow.</summary>
    public bool ResidualUnderflow { get; init; }

    public ScsiResponseCode Response { get; init; }

    /// <summary>SCSI status byte (SAM-5), valid when Response is CommandCompletedAtTarget.</summary>
    public byte Status { get; init; }

    public uint SnackTag { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    public uint ExpDataSN { get; init; }

    public uint BidirectionalReadResidualCount { get; init; }

    public uint ResidualCount { get; init; }

    internal static ScsiResponsePdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data)
    {
        var flags = bhs[Bhs.FlagsOffset];
        return new ScsiResponsePdu
        {
            BidirectionalReadResidualOverflow = (flags & BidiOverflowBit) != 0,
            BidirectionalReadResidualUnderflow = (flags & BidiUnderflowBit) != 0,
            ResidualOverflow = (flags & OverflowBit) != 0,
            ResidualUnderflow = (flags & UnderflowBit) != 0,
            Response = (ScsiResponseCode)bhs[ResponseOffset],
            Status = bhs[StatusOffset],
            InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
            SnackTag = Bhs.ReadUInt32(bhs, SnackTagOffset),
            StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
            ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
            MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
            ExpDataSN = Bhs.ReadUInt32(bhs, ExpDataSnOffset),
            BidirectionalReadResidualCount = Bhs.ReadUInt32(bhs, BidiResidualCountOffset),
            ResidualCount = Bhs.ReadUInt32(bhs, ResidualCountOffset),
            Data = data,
        };
    }

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = (byte)(Bhs.FinalBit
            | (BidirectionalReadResidualOverflow ? BidiOverflowBit : 0) | (BidirectionalReadResidualUnderflow ? BidiUnderflowBit : 0)
            | (ResidualOverflow ? OverflowBit : 0) | (ResidualUnderflow ? UnderflowBit : 0));
        bhs[ResponseOffset] = (byte)Response;
        bhs[StatusOffset] = Status;
        Bhs.WriteUInt32(bhs, SnackTagOffset, SnackTag);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
        Bhs.WriteUInt32(bhs, ExpDataSnOffset, ExpDataSN);
        Bhs.WriteUInt32(bhs, BidiResidualCountOffset, BidirectionalReadResidualCount);
        Bhs.WriteUInt32(bhs, ResidualCountOffset, ResidualCount);
    }
}
