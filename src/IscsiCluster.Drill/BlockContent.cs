using System.Buffers.Binary;
using IscsiCluster.Network;

namespace IscsiCluster.Drill;

/// <summary>
/// What the drill writes: every 4 KiB block carries a header (magic, its own block number, a version) and a fill
/// derived from both, sealed with a CRC32C of the rest, so any read tells which write it returns, or that it is none.
/// </summary>
internal static class BlockContent
{
    public const int Size = 4096;
    private const ulong Magic = 0x4c4c_4952_4449_4349; // "ICIDRILL"

    public static void Fill(Span<byte> block, long number, long version)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(block, Magic);
        BinaryPrimitives.WriteInt64LittleEndian(block[8..], number);
        BinaryPrimitives.WriteInt64LittleEndian(block[16..], version);
        var state = (((ulong)number * 0x9E37_79B9_7F4A_7C15UL) ^ (ulong)version) | 1;
        for (var offset = 28; offset + 8 <= Size; offset += 8)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            BinaryPrimitives.WriteUInt64LittleEndian(block[offset..], state);
        }

        BinaryPrimitives.WriteUInt32LittleEndian(block[24..], Checksum(block));
    }

    /// <summary>The version a block read back holds: null when it is no intact drill block of that number (never written, or damaged).</summary>
    public static long? VersionOf(ReadOnlySpan<byte> block, long number)
    {
        if (BinaryPrimitives.ReadUInt64LittleEndian(block) != Magic
            || BinaryPrimitives.ReadInt64LittleEndian(block[8..]) != number
            || BinaryPrimitives.ReadUInt32LittleEndian(block[24..]) != Checksum(block))
        {
            return null;
        }

        return BinaryPrimitives.ReadInt64LittleEndian(block[16..]);
    }

    private static uint Checksum(ReadOnlySpan<byte> block)
    {
        // Everything but the checksum's own four bytes.
        return Crc32C.Compute(block[..24], block[28..]);
    }
}
