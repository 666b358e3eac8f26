using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Task Management Function Response (RFC 7143 11.6): byte 1 |1|reserved|, byte 2 Response,
/// 16 ITT, 24 StatSN, 28 ExpCmdSN, 32 MaxCmdSN, other bytes reserved.
/// </summary>
public sealed record TaskManagementResponsePdu : IscsiPdu
{
    private const int ResponseOffset = 2;

    public override IscsiOpcode Opcode => IscsiOpcode.TaskManagementResponse;

    public TaskManagementResponseCode Response { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    internal static TaskManagementResponsePdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Response = (TaskManagementResponseCode)bhs[ResponseOffset],
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
        ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
        MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = Bhs.FinalBit;
        bhs[ResponseOffset] = (byte)Response;
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
    }
}
