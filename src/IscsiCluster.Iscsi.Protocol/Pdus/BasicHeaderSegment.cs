using System.Buffers.Binary;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Named offsets and field helpers of the 48-byte Basic Header Segment (RFC 7143 11.2.1); the
/// diagram is drawn above <see cref="PduReader"/>. Fields are big endian (RFC 7143 11.1).
/// </summary>
public static class BasicHeaderSegment
{
    /// <summary>Length of the BHS in bytes.</summary>
    public const int Length = 48;

    public const int OpcodeOffset = 0;
    public const int FlagsOffset = 1;
    public const int TotalAhsLengthOffset = 4;
    public const int DataSegmentLengthOffset = 5;
    public const int LunOffset = 8;
    public const int InitiatorTaskTagOffset = 16;

    // RFC 7143 11.2.2: every PDU a target sends carries StatSN, ExpCmdSN and MaxCmdSN at the
    // same offsets (reserved or meaningless in some, such as R2T's StatSN).
    public const int StatSnOffset = 24;
    public const int ExpCmdSnOffset = 28;
    public const int MaxCmdSnOffset = 32;

    public const byte ImmediateBit = 0x40;
    public const byte OpcodeMask = 0x3f;
    public const byte FinalBit = 0x80;

    /// <summary>The largest value the 24-bit DataSegmentLength field can carry.</summary>
    public const int MaxDataSegmentLength = 0xff_ffff;

    /// <summary>The ITT value reserved for "no task" (RFC 7143 11.2.1.8).</summary>
    public const uint ReservedTag = 0xffff_ffff;

    public static IscsiOpcode GetOpcode(ReadOnlySpan<byte> bhs) => (IscsiOpcode)(bhs[OpcodeOffset] & OpcodeMask);

    public static bool GetImmediate(ReadOnlySpan<byte> bhs) => (bhs[OpcodeOffset] & ImmediateBit) != 0;

    public static bool GetFinal(ReadOnlySpan<byte> bhs) => (bhs[FlagsOffset] & FinalBit) != 0;

    /// <summary>TotalAHSLength in bytes (the field counts 4-byte words).</summary>
    public static int GetTotalAhsLength(ReadOnlySpan<byte> bhs) => bhs[TotalAhsLengthOffset] * 4;

    public static int GetDataSegmentLength(ReadOnlySpan<byte> bhs) =>
        (bhs[DataSegmentLengthOffset] << 16) | (bhs[DataSegmentLengthOffset + 1] << 8) | bhs[DataSegmentLengthOffset + 2];

    public static uint GetInitiatorTaskTag(ReadOnlySpan<byte> bhs) => ReadUInt32(bhs, InitiatorTaskTagOffset);

    public static uint ReadUInt32(ReadOnlySpan<byte> bhs, int offset) => BinaryPrimitives.ReadUInt32BigEndian(bhs[offset..]);

    public static ushort ReadUInt16(ReadOnlySpan<byte> bhs, int offset) => BinaryPrimitives.ReadUInt16BigEndian(bhs[offset..]);

    public static ulong ReadUInt64(ReadOnlySpan<byte> bhs, int offset) => BinaryPrimitives.ReadUInt64BigEndian(bhs[offset..]);

    /// <summary>Reads the 6-byte ISID of Login PDUs (bytes 8-13) into the low 48 bits of a ulong.</summary>
    public static ulong ReadIsid(ReadOnlySpan<byte> bhs) =>
        ((ulong)ReadUInt16(bhs, LunOffset) << 32) | ReadUInt32(bhs, LunOffset + 2);

    public static void WriteUInt32(Span<byte> bhs, int offset, uint value) => BinaryPrimitives.WriteUInt32BigEndian(bhs[offset..], value);

    public static void WriteUInt16(Span<byte> bhs, int offset, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(bhs[offset..], value);

    public static void WriteUInt64(Span<byte> bhs, int offset, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(bhs[offset..], value);

    public static void WriteIsid(Span<byte> bhs, ulong isid)
    {
        WriteUInt16(bhs, LunOffset, (ushort)(isid >> 32));
        WriteUInt32(bhs, LunOffset + 2, (uint)isid);
    }

    /// <summary>Writes byte 0 (I bit and opcode).</summary>
    public static void WriteOpcode(Span<byte> bhs, IscsiOpcode opcode, bool immediate) =>
        bhs[OpcodeOffset] = (byte)((byte)opcode | (immediate ? ImmediateBit : 0));

    /// <summary>Writes TotalAHSLength (given in bytes, a multiple of 4) and the 24-bit DataSegmentLength.</summary>
    public static void WriteLengths(Span<byte> bhs, int totalAhsLength, int dataSegmentLength)
    {
        bhs[TotalAhsLengthOffset] = (byte)(totalAhsLength / 4);
        bhs[DataSegmentLengthOffset] = (byte)(dataSegmentLength >> 16);
        bhs[DataSegmentLengthOffset + 1] = (byte)(dataSegmentLength >> 8);
        bhs[DataSegmentLengthOffset + 2] = (byte)dataSegmentLength;
    }

    /// <summary>Rounds a segment length up to the 4-byte boundary every segment is padded to (RFC 7143 11.1).</summary>
    public static int Padded(int length) => (length + 3) & ~3;
}
