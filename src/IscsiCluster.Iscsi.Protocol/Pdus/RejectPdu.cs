using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Reject (RFC 7143 11.17): byte 1 |1|reserved|, byte 2 Reason, 16 0xffffffff, 24 StatSN, 28 ExpCmdSN,
/// 32 MaxCmdSN, 36 DataSN/R2TSN or reserved, 40-47 reserved; data: the complete header of the
/// rejected PDU (use <see cref="PduReadError.Header"/>).
/// </summary>
public sealed record RejectPdu : IscsiPdu
{
    private const int ReasonOffset = 2;
    private const int DataSnOffset = 36;

    public RejectPdu() => InitiatorTaskTag = Bhs.ReservedTag;

    public override IscsiOpcode Opcode => IscsiOpcode.Reject;

    public RejectReason Reason { get; init; }

    public uint StatSN { get; init; }

    public uint ExpCmdSN { get; init; }

    public uint MaxCmdSN { get; init; }

    /// <summary>DataSN or R2TSN for a rejected Data/R2T SNACK; 0 otherwise.</summary>
    public uint DataSnOrR2TSN { get; init; }

    internal static RejectPdu Read(ReadOnlySpan<byte> bhs, ReadOnlyMemory<byte> data) => new()
    {
        Reason = (RejectReason)bhs[ReasonOffset],
        InitiatorTaskTag = Bhs.GetInitiatorTaskTag(bhs),
        StatSN = Bhs.ReadUInt32(bhs, Bhs.StatSnOffset),
        ExpCmdSN = Bhs.ReadUInt32(bhs, Bhs.ExpCmdSnOffset),
        MaxCmdSN = Bhs.ReadUInt32(bhs, Bhs.MaxCmdSnOffset),
        DataSnOrR2TSN = Bhs.ReadUInt32(bhs, DataSnOffset),
        Data = data,
    };

    internal override void WriteHeader(Span<byte> bhs)
    {
        Bhs.WriteOpcode(bhs, Opcode, immediate: false);
        bhs[Bhs.FlagsOffset] = Bhs.FinalBit;
        bhs[ReasonOffset] = (byte)Reason;
        Bhs.WriteUInt32(bhs, Bhs.StatSnOffset, StatSN);
        Bhs.WriteUInt32(bhs, Bhs.ExpCmdSnOffset, ExpCmdSN);
        Bhs.WriteUInt32(bhs, Bhs.MaxCmdSnOffset, MaxCmdSN);
        Bhs.WriteUInt32(bhs, DataSnOffset, DataSnOrR2TSN);
    }
}
