using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// NOP-In (RFC 7143 11.19): byte 1 |1|reserved|, 8-15 LUN, 16 ITT, 20 Target Transfer Tag,
/// 24 StatSN, 28 ExpCmdSN, 32 MaxCmdSN, 36-47 reserved; data is ping data.
/// </summary>
public sealed record NopInPdu : IscsiPdu
{
    private const int TargetTransferTagOffset = 20;

    public NopInPdu() => InitiatorTaskTag = Bhs.ReservedTag;

    public override IscsiOpcode Opcode => IscsiOpcode.NopIn;

    public ulong Lun { get; init; }

    /// <summary>A valid tag asks the initiator for a NOP-Out answer; 0xffffffff asks for none.</summary>
    public uint TargetTransferTag { get; init; } = Bhs.ReservedTag;

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    internal static NopInPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
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
        bhs[Bhs.FlagsOffset] = Bhs.FinalBit;
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, TargetTransferTagOffset, TargetTransferTag);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
    }
}
