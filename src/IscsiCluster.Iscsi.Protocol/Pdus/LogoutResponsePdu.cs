using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Logout Response (RFC 7143 11.15): byte 1 |1|reserved|, byte 2 Response, 16 ITT, 24 StatSN,
/// 28 ExpCmdSN, 32 MaxCmdSN, 40 Time2Wait (2 bytes), 42 Time2Retain (2 bytes).
/// </summary>
public sealed record LogoutResponsePdu : IscsiPdu
{
    private const int ResponseOffset = 2;
    private const int Time2WaitOffset = 40;
    private const int Time2RetainOffset = 42;

    public override IscsiOpcode Opcode => IscsiOpcode.LogoutResponse;

    public LogoutResponseCode Response { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    /// <summary>Seconds to wait before reconnecting (RFC 7143 11.15.2).</summary>
    public ushort Time2Wait { get; init; }

    /// <summary>Seconds the connection's tasks stay reassignable (RFC 7143 11.15.3).</summary>
    public ushort Time2Retain { get; init; }

    internal static LogoutResponsePdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Response = (LogoutResponseCode)bhs[ResponseOffset],
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
        ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
        MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
        Time2Wait = Bhs.ReadUInt16(bhs, Time2WaitOffset),
        Time2Retain = Bhs.ReadUInt16(bhs, Time2RetainOffset),
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
        Bhs.WriteUInt16(bhs, Time2WaitOffset, Time2Wait);
        Bhs.WriteUInt16(bhs, Time2RetainOffset, Time2Retain);
    }
}
