using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Text Request (RFC 7143 11.10): byte 0 |.|I|0x04|, byte 1 |F|C|reserved|, 8-15 LUN, 16 ITT,
/// 20 Target Transfer Tag, 24 CmdSN, 28 ExpStatSN, 32-47 reserved; data: text key=value pairs.
/// </summary>
public sealed record TextRequestPdu : IscsiPdu
{
    private const byte ContinueBit = 0x40;
    private const int TargetTransferTagOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public override IscsiOpcode Opcode => IscsiOpcode.TextRequest;

    public bool Immediate { get; init; }

    public bool Final { get; init; } = true;

    public bool Continue { get; init; }

    public ulong Lun { get; init; }

    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint CmdSN { get; init; }

    public uint ExpStatSN { get; init; }

    internal static TextRequestPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Immediate = Bhs.GetImmediate(bhs),
        Final = Bhs.GetFinal(bhs),
        Continue = (bhs[Bhs.FlagsOffset] & ContinueBit) != 0,
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
        bhs[Bhs.FlagsOffset] = (byte)((Final ? Bhs.FinalBit : 0) | (Continue ? ContinueBit : 0));
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, CmdSnOffset, CmdSN);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
    }
}
