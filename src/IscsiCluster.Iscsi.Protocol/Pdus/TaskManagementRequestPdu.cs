using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Task Management Function Request (RFC 7143 11.5): byte 0 |.|I|0x02|, byte 1 |1| Function (7 bits)|,
/// 8-15 LUN, 16 ITT, 20 Referenced Task Tag, 24 CmdSN, 28 ExpStatSN, 32 RefCmdSN, 36 ExpDataSN, 40-47 reserved.
/// </summary>
public sealed record TaskManagementRequestPdu : IscsiPdu
{
    private const byte FunctionMask = 0x7f;
    private const int ReferencedTaskTagOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;
    private const int RefCmdSnOffset = 32;
    private const int ExpDataSnOffset = 36;

    public override IscsiOpcode Opcode => IscsiOpcode.TaskManagementRequest;

    public bool Immediate { get; init; }

    public TaskManagementFunction Function { get; init; }

    public ulong Lun { get; init; }

    public uint ReferencedTaskTag { get; init; } = Bhs.ReservedTag;

    public uint CmdSN { get; init; }

    public uint ExpStatSN { get; init; }

    public uint RefCmdSN { get; init; }

    public uint ExpDataSN { get; init; }

    internal static TaskManagementRequestPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Immediate = Bhs.GetImmediate(bhs),
        Function = (TaskManagementFunction)(bhs[Bhs.FlagsOffset] & FunctionMask),
        Lun = Bhs.ReadUInt64(bhs, Bhs.LunOffset),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        ReferencedTaskTag = Bhs.ReadUInt32(bhs, ReferencedTaskTagOffset),
        CmdSN = Bhs.ReadUInt32(bhs, CmdSnOffset),
        ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
        RefCmdSN = Bhs.ReadUInt32(bhs, RefCmdSnOffset),
        ExpDataSN = Bhs.ReadUInt32(bhs, ExpDataSnOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, Immediate);
        bhs[Bhs.FlagsOffset] = (byte)(Bhs.FinalBit | ((byte)Function & FunctionMask));
        Bhs.WriteUInt64(bhs, Bhs.LunOffset, Lun);
        Bhs.WriteUInt32(bhs, ReferencedTaskTagOffset, ReferencedTaskTag);
        Bhs.WriteUInt32(bhs, CmdSnOffset, CmdSN);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
        Bhs.WriteUInt32(bhs, RefCmdSnOffset, RefCmdSN);
        Bhs.WriteUInt32(bhs, ExpDataSnOffset, ExpDataSN);
    }
}
