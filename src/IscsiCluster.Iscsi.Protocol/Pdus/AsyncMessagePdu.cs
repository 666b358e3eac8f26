using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Asynchronous Message (RFC 7143 11.9): byte 1 |1|reserved|, 8-15 LUN, 16 0xffffffff, 24 StatSN,
/// 28 ExpCmdSN, 32 MaxCmdSN, 36 AsyncEvent, 37 AsyncVCode, 38 Parameter1, 40 Parameter2, 42 Parameter3
/// (2 bytes each), 44 reserved; data: SenseLength + sense data + iSCSI event data.
/// </summary>
public sealed record AsyncMessagePdu : IscsiPdu
{
    private const int AsyncEventOffset = 36;
    private const int AsyncVCodeOffset = 37;
    private const int Parameter1Offset = 38;
    private const int Parameter2Offset = 40;
    private const int Parameter3Offset = 42;

    public AsyncMessagePdu() => InitiatorTaskTag = Bhs.ReservedTag;

    public override IscsiOpcode Opcode => IscsiOpcode.AsyncMessage;

    public ulong Lun { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    public AsyncEvent AsyncEvent { get; init; }

    public byte AsyncVCode { get; init; }

    public ushort Parameter1 { get; init; }

    public ushort Parameter2 { get; init; }

    public ushort Parameter3 { get; init; }

    internal static AsyncMessagePdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
        ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
        MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
        AsyncEvent = (AsyncEvent)bhs[AsyncEventOffset],
        AsyncVCode = bhs[AsyncVCodeOffset],
        Parameter1 = Bhs.ReadUInt16(bhs, Parameter1Offset),
        Parameter2 = Bhs.ReadUInt16(bhs, Parameter2Offset),
        Parameter3 = Bhs.ReadUInt16(bhs, Parameter3Offset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = Bhs.FinalBit;
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
        bhs[AsyncEventOffset] = (byte)AsyncEvent;
        bhs[AsyncVCodeOffset] = AsyncVCode;
        Bhs.WriteUInt16(bhs, Parameter1Offset, Parameter1);
        Bhs.WriteUInt16(bhs, Parameter2Offset, Parameter2);
        Bhs.WriteUInt16(bhs, Parameter3Offset, Parameter3);
    }
}
