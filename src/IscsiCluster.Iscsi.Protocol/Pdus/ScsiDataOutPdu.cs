using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// SCSI Data-Out (RFC 7143 11.7): byte 1 |F|reserved|, 8-15 LUN, 16 ITT, 20 Target Transfer Tag,
/// 24 reserved, 28 ExpStatSN, 32 reserved, 36 DataSN, 40 Buffer Offset, 44 reserved; data: write data.
/// </summary>
public sealed record ScsiDataOutPdu : IscsiPdu
{
    private const int TargetTransferTagOffset = 20;
    private const int ExpStatSnOffset = 28;
    private const int DataSnOffset = 36;
    private const int BufferOffsetOffset = 40;

    public override IscsiOpcode Opcode => IscsiOpcode.ScsiDataOut;

    public bool Final { get; init; }

    public ulong Lun { get; init; }

    /// <summary>The R2T's tag, or 0xffffffff for unsolicited data.</summary>
    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint ExpStatSN { get; init; }

    public uint DataSN { get; init; }

    public uint BufferOffset { get; init; }

    /// <summary>
    /// Reads a Data-Out PDU from its Basic Header Segment, with zeros of its DataSegmentLength as
    /// data: what is left of one whose data was discarded, such as one whose data digest failed.
    /// </summary>
    public static ScsiDataOutPdu ReadHeader(ReadOnlySpan<byte> bhs) => Read(bhs, new byte[Bhs.GetDataSegmentLength(bhs)]);

    internal static ScsiDataOutPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Final = Bhs.GetFinal(bhs),
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        TargetTransferTag = Bhs.ReadUInt32(bhs, TargetTransferTagOffset),
        ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
        DataSN = Bhs.ReadUInt32(bhs, DataSnOffset),
        BufferOffset = Bhs.ReadUInt32(bhs, BufferOffsetOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = Final ? Bhs.FinalBit : (byte)0;
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
        Bhs.WriteUInt32(bhs, DataSnOffset, DataSN);
        Bhs.WriteUInt32(bhs, BufferOffsetOffset, BufferOffset);
    }
}
