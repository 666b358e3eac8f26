using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// SNACK Request (RFC 7143 11.16): byte 1 |1|.|.|.| Type (4 bits)|, 8-15 LUN, 16 ITT,
/// 20 Target Transfer Tag or SNACK Tag, 24 reserved, 28 ExpStatSN, 32-39 reserved, 40 BegRun, 44 RunLength.
/// </summary>
public sealed record SnackPdu : IscsiPdu
{
    private const byte TypeMask = 0x0f;
    private const int TargetTransferTagOffset = 20;
    private const int ExpStatSnOffset = 28;
    private const int BegRunOffset = 40;
    private const int RunLengthOffset = 44;

    public SnackPdu() => InitiatorTaskTag = Bhs.ReservedTag;

    public override IscsiOpcode Opcode => IscsiOpcode.Snack;

    public SnackType Type { get; init; }

    public ulong Lun { get; init; }

    /// <summary>Target Transfer Tag (DataACK) or SNACK Tag (R-Data).</summary>
    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint ExpStatSN { get; init; }

    public uint BegRun { get; init; }

    public uint RunLength { get; init; }

    internal static SnackPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Type = (SnackType)(bhs[Bhs.FlagsOffset] & TypeMask),
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        TargetTransferTag = Bhs.ReadUInt32(bhs, TargetTransferTagOffset),
        ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
        BegRun = Bhs.ReadUInt32(bhs, BegRunOffset),
        RunLength = Bhs.ReadUInt32(bhs, RunLengthOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = (byte)(Bhs.FinalBit | ((byte)Type & TypeMask));
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
        Bhs.WriteUInt32(bhs, BegRunOffset, BegRun);
        Bhs.WriteUInt32(bhs, RunLengthOffset, RunLength);
    }
}
