using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Text Response (RFC 7143 11.11): byte 1 |F|C|reserved|, 8-15 LUN, 16 ITT, 20 Target Transfer Tag,
/// 24 StatSN, 28 ExpCmdSN, 32 MaxCmdSN, 36-47 reserved; data: text key=value pairs.
/// </summary>
public sealed record TextResponsePdu : IscsiPdu
{
    private const byte ContinueBit = 0x40;
    private const int TargetTransferTagOffset = 20;

    public override IscsiOpcode Opcode => IscsiOpcode.TextResponse;

    public bool Final { get; init; } = true;

    public bool Continue { get; init; }

    public ulong Lun { get; init; }

    /// <summary>0xffffffff on the final response; a tag when more text follows (RFC 7143 11.11.4).</summary>
    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    internal static TextResponsePdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Final = Bhs.GetFinal(bhs),
        Continue = (bhs[Bhs.FlagsOffset] & ContinueBit) != 0,
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        TargetTransferTag = Bhs.ReadUInt32(bhs, TargetTransferTagOffset),
        StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
        ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
        MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = (byte)((Final ? Bhs.FinalBit : 0) | (Continue ? ContinueBit : 0));
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
    }
}
