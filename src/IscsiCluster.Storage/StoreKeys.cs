using System.Buffers.Binary;
using System.Text;

namespace IscsiCluster.Storage;

/// <summary>
/// The key space of a node's database. A one-byte prefix separates the areas; numbers follow in
/// big endian, so bytewise key order is numeric order and each volume's chunks form one
/// contiguous range (which a later milestone cuts into extents for replication).
/// <code>
///   0x00                                  store format marker   -> [format version]
///   0x01 | volumeId (8)                   volume record         -> see VolumeRecord
///   0x02 | volumeId (8) | chunkIndex (8)  chunk data            -> exactly ChunkSize bytes
///   0x03 | UTF-8 name                     metadata area         -> caller's bytes
/// </code>
/// </summary>
internal static class StoreKeys
{
    public const byte FormatPrefix = 0x00;
    public const byte VolumePrefix = 0x01;
    public const byte ChunkPrefix = 0x02;
    public const byte MetadataPrefix = 0x03;

    public const int VolumeKeyLength = 9;
    public const int ChunkKeyLength = 17;

    private const int VolumeIdOffset = 1;
    private const int ChunkIndexOffset = 9;

    /// <summary>The single key of the store format marker.</summary>
    public static ReadOnlySpan<byte> FormatKey => [FormatPrefix];

    /// <summary>Start of the volume-record area (inclusive).</summary>
    public static ReadOnlySpan<byte> VolumeAreaStart => [VolumePrefix];

    /// <summary>End of the volume-record area (exclusive).</summary>
    public static ReadOnlySpan<byte> VolumeAreaEnd => [ChunkPrefix];

    public static void WriteVolumeKey(Span<byte> destination, ulong volumeId)
    {
        destination[0] = VolumePrefix;
        BinaryPrimitives.WriteUInt64BigEndian(destination[VolumeIdOffset..], volumeId);
    }

    public static ulong ReadVolumeId(ReadOnlySpan<byte> volumeOrChunkKey) =>
        BinaryPrimitives.ReadUInt64BigEndian(volumeOrChunkKey[VolumeIdOffset..]);

    public static void WriteChunkKey(Span<byte> destination, ulong volumeId, long chunkIndex)
    {
        destination[0] = ChunkPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(destination[VolumeIdOffset..], volumeId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[ChunkIndexOffset..], (ulong)chunkIndex);
    }

    public static long ReadChunkIndex(ReadOnlySpan<byte> chunkKey) =>
        (long)BinaryPrimitives.ReadUInt64BigEndian(chunkKey[ChunkIndexOffset..]);

    /// <summary>
    /// The exclusive end of every chunk key of a volume: chunk indices never reach
    /// <see cref="ulong.MaxValue"/> (they are below <see cref="long.MaxValue"/>).
    /// </summary>
    public static void WriteChunkAreaEnd(Span<byte> destination, ulong volumeId)
    {
        destination[0] = ChunkPrefix;
        BinaryPrimitives.WriteUInt64BigEndian(destination[VolumeIdOffset..], volumeId);
        BinaryPrimitives.WriteUInt64BigEndian(destination[ChunkIndexOffset..], ulong.MaxValue);
    }

    public static byte[] MetadataKey(string name)
    {
        var key = new byte[1 + Encoding.UTF8.GetByteCount(name)];
        key[0] = MetadataPrefix;
        Encoding.UTF8.GetBytes(name, key.AsSpan(1));
        return key;
    }

    public static string MetadataName(ReadOnlySpan<byte> metadataKey) => Encoding.UTF8.GetString(metadataKey[1..]);

    /// <summary>The smallest key greater than every key that starts with <paramref name="prefix"/>.</summary>
    public static byte[] PrefixEnd(ReadOnlySpan<byte> prefix)
    {
        var end = prefix.ToArray();
        for (var i = end.Length - 1; i >= 0; i--)
        {
            if (end[i] != byte.MaxValue)
            {
                end[i]++;
                return end[..(i + 1)];
            }
        }

        throw new ArgumentException("A prefix of only 0xFF bytes has no end key.", nameof(prefix));
    }
}
