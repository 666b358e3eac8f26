using System.Buffers.Binary;

namespace IscsiCluster.Storage;

/// <summary>
/// The value stored under a volume key (big endian):
/// <code>
///   0       record version (1)
///   1..8    size in bytes
///   9..12   chunk size in bytes
///   13..16  chunks per extent
/// </code>
/// </summary>
internal static class VolumeRecord
{
    public const int Length = 17;

    private const byte Version = 1;
    private const int VersionOffset = 0;
    private const int SizeOffset = 1;
    private const int ChunkSizeOffset = 9;
    private const int ChunksPerExtentOffset = 13;

    public static void Write(Span<byte> destination, VolumeInfo volume)
    {
        destination[VersionOffset] = Version;
        BinaryPrimitives.WriteInt64BigEndian(destination[SizeOffset..], volume.SizeBytes);
        BinaryPrimitives.WriteInt32BigEndian(destination[ChunkSizeOffset..], volume.Layout.ChunkSize);
        BinaryPrimitives.WriteInt32BigEndian(destination[ChunksPerExtentOffset..], volume.Layout.ChunksPerExtent);
    }

    /// <summary>Decodes a record; throws <see cref="InvalidDataException"/> for a record this version cannot read.</summary>
    public static VolumeInfo Read(ulong volumeId, ReadOnlySpan<byte> record)
    {
        if (record.Length != Length || record[VersionOffset] != Version)
        {
            throw new InvalidDataException(
                $"The record of volume {volumeId} is {record.Length} bytes with version {(record.IsEmpty ? 0 : record[0])}; expected {Length} bytes with version {Version}.");
        }

        try
        {
            var layout = new VolumeLayout(
                BinaryPrimitives.ReadInt32BigEndian(record[ChunkSizeOffset..]),
                BinaryPrimitives.ReadInt32BigEndian(record[ChunksPerExtentOffset..]));
            var size = BinaryPrimitives.ReadInt64BigEndian(record[SizeOffset..]);
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
            return new VolumeInfo(volumeId, size, layout);
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new InvalidDataException($"The record of volume {volumeId} holds an invalid layout: {e.Message}", e);
        }
    }
}
