using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Logout Request (RFC 7143 11.14): byte 0 |.|I|0x06|, byte 1 |1| Reason Code (7 bits)|, 16 ITT,
/// 20 CID (2 bytes) + reserved, 24 CmdSN, 28 ExpStatSN, 32-47 reserved.
/// </summary>
public sealed record LogoutRequestPdu : IscsiPdu
{
    private const byte ReasonMask = 0x7f;
    private const int ConnectionIdOffset = 20;
    private const int CmdSnOffset = 24;
    private const int ExpStatSnOffset = 28;

    public override IscsiOpcode Opcode => IscsiOpcode.LogoutRequest;

    public bool Immediate { get; init; }

    public LogoutReason Reason { get; init; }

    public ushort ConnectionId { get; init; }

    public uint CmdSN { get; init; }

    public uint ExpStatSN { get; init; }

    internal static LogoutRequestPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Immediate = Bhs.GetImmediate(bhs),
        Reason = (LogoutReason)(bhs[Bhs.FlagsOffset] & ReasonMask),
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        ConnectionId = Bhs.ReadUInt16(bhs, ConnectionIdOffset),
        CmdSN = Bhs.ReadUInt32(bhs, CmdSnOffset),
        ExpStatSN = Bhs.ReadUInt32(bhs, ExpStatSnOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, Immediate);
        bhs[Bhs.FlagsOffset] = (byte)(Bhs.FinalBit | ((byte)Reason & ReasonMask));
        Bhs.WriteUInt16(bhs, ConnectionIdOffset, ConnectionId);
        Bhs.WriteUInt32(bhs, CmdSnOffset, CmdSN);
        Bhs.WriteUInt32(bhs, ExpStatSnOffset, ExpStatSN);
    }
}
