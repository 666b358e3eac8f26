using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// NOP-Out (RFC 7143 11.18): byte 0 |.|I|0x00|, byte 1 |1|reserved|, 8-15 LUN, 16 ITT,
/// 20 Target Transfer Tag, 24 CmdSN, 28 ExpStatSN, 32-47 reserved; data is ping data.
/// </summary>
public sealed record NopOutPdu : IscsiPdu
{
    private const int TargetTransferTagOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public override IscsiOpcode Opcode => IscsiOpcode.NopOut;

    public bool Immediate { get; init; }

    public ulong Lun { get; init; }

    /// <summary>0xffffffff unless this answers a NOP-In.</summary>
    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint CmdSN { get; init; }

    public uint ExpStatSN { get; init; }

    internal static NopOutPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Immediate = Bhs.GetImmediate(bhs),
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        TargetTransferTag = Bhs.ReadUInt32(bhs, TargetTransferTagOffset),
        CmdSN = Bhs.ReadUInt32(bhs, CmdSnOffset),
        ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, Immediate);
        bhs[Bhs.FlagsOffset] = Bhs.FinalBit;
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, CmdSnOffset, CmdSN);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
    }
}
