using System.Numerics;

namespace IscsiCluster.Storage;

/// <summary>
/// How a volume is cut into keys, fixed when the volume is created: data is stored in chunks of
/// <see cref="ChunkSize"/> bytes (one RocksDB value each), and <see cref="ChunksPerExtent"/>
/// consecutive chunks form an extent, the unit a later milestone replicates.
/// </summary>
public sealed record VolumeLayout
{
    public const int MinChunkSize = 512;
    public const int MaxChunkSize = 1024 * 1024;

    public VolumeLayout(int chunkSize, int chunksPerExtent)
    {
        if (chunkSize < MinChunkSize || chunkSize > MaxChunkSize || !BitOperations.IsPow2(chunkSize))
        {
            throw new ArgumentOutOfRangeException(
                nameof(chunkSize), chunkSize, $"The chunk size must be a power of two from {MinChunkSize} to {MaxChunkSize} bytes.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(chunksPerExtent);
        ChunkSize = chunkSize;
        ChunksPerExtent = chunksPerExtent;
        ChunkShift = BitOperations.Log2((uint)chunkSize);
    }

    /// <summary>Bytes per chunk (a power of two).</summary>
    public int ChunkSize { get; }

    /// <summary>Chunks per extent.</summary>
    public int ChunksPerExtent { get; }

    /// <summary>log2(<see cref="ChunkSize"/>).</summary>
    public int ChunkShift { get; }

    /// <summary>The chunk holding byte <paramref name="offset"/>.</summary>
    public long ChunkIndexOf(long offset) => offset >> ChunkShift;

    /// <summary>The extent holding chunk <paramref name="chunkIndex"/>: <c>chunkIndex / ChunksPerExtent</c>.</summary>
    public long ExtentIndexOf(long chunkIndex) => chunkIndex / ChunksPerExtent;

    /// <summary>The first chunk of extent <paramref name="extentIndex"/>.</summary>
    public long FirstChunkOf(long extentIndex) => extentIndex * ChunksPerExtent;
}
