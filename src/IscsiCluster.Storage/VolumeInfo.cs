namespace IscsiCluster.Storage;

/// <summary>A volume as recorded in the store: its id, size in bytes and layout.</summary>
public sealed record VolumeInfo(ulong Id, long SizeBytes, VolumeLayout Layout)
{
    /// <summary>Chunks covering the volume; the last one may extend past <see cref="SizeBytes"/> (that tail reads and stays zero).</summary>
    public long ChunkCount => (SizeBytes + Layout.ChunkSize - 1) >> Layout.ChunkShift;

    /// <summary>Extents covering the volume.</summary>
    public long ExtentCount => (ChunkCount + Layout.ChunksPerExtent - 1) / Layout.ChunksPerExtent;

    /// <summary>The extent holding byte <paramref name="offset"/> of the volume.</summary>
    public ExtentId ExtentOf(long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(offset, SizeBytes);
        return new ExtentId(Id, Layout.ExtentIndexOf(Layout.ChunkIndexOf(offset)));
    }

    /// <summary>The chunks of <paramref name="extent"/> that lie inside the volume, as a first index and a count.</summary>
    public (long FirstChunk, long ChunkCount) ChunksOf(ExtentId extent)
    {
        if (extent.VolumeId != Id)
        {
            throw new ArgumentException($"Extent {extent} belongs to volume {extent.VolumeId}, not {Id}.", nameof(extent));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(extent.Index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(extent.Index, ExtentCount);
        var first = Layout.FirstChunkOf(extent.Index);
        return (first, Math.Min(Layout.ChunksPerExtent, ChunkCount - first));
    }
}
