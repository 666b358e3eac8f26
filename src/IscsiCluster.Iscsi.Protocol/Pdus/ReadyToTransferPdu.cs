using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Ready To Transfer, R2T (RFC 7143 11.8): byte 1 |1|reserved|, 8-15 LUN, 16 ITT, 20 Target Transfer Tag,
/// 24 StatSN, 28 ExpCmdSN, 32 MaxCmdSN, 36 R2TSN, 40 Buffer Offset, 44 Desired Data Transfer Length.
/// </summary>
public sealed record ReadyToTransferPdu : IscsiPdu
{
    private const int TargetTransferTagOffset = 20;
    private const int R2TSnOffset = 36;
    private const int BufferOffsetOffset = 40;
    private const int DesiredLengthOffset = 44;

    public override IscsiOpcode Opcode => IscsiOpcode.ReadyToTransfer;

    public ulong Lun { get; init; }

    public uint TargetTransferTag { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    public uint R2TSN { get; init; }

    public uint BufferOffset { get; init; }

    public uint DesiredDataTransferLength { get; init; }

    internal static ReadyToTransferPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        TargetTransferTag = Bhs.ReadUInt32(bhs, TargetTransferTagOffset),
        StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
        ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
        MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
        R2TSN = Bhs.ReadUInt32(bhs, R2TSnOffset),
        BufferOffset = Bhs.ReadUInt32(bhs, BufferOffsetOffset),
        DesiredDataTransferLength = Bhs.ReadUInt32(bhs, DesiredLengthOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = Bhs.FinalBit;
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
        Bhs.WriteUInt32(bhs, R2TSnOffset, R2TSN);
        Bhs.WriteUInt32(bhs, BufferOffsetOffset, BufferOffset);
        Bhs.WriteUInt32(bhs, DesiredLengthOffset, DesiredDataTransferLength);
    }
}
