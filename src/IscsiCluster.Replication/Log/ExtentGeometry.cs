namespace IscsiCluster.Replication.Log;

/// <summary>How a LUN of <see cref="SizeBytes"/> is cut into extents of <see cref="ExtentBytes"/> (the last may be shorter).</summary>
public readonly record struct ExtentGeometry(long SizeBytes, long ExtentBytes)
{
    /// <summary>Number of extents, the last one possibly partial.</summary>
    public long ExtentCount => (SizeBytes + ExtentBytes - 1) / ExtentBytes;

    /// <summary>The extent holding byte <paramref name="offset"/>.</summary>
    public long ExtentOf(long offset) => offset / ExtentBytes;

    /// <summary>The bytes of <paramref name="extent"/>, clipped to the LUN.</summary>
    public ByteRange RangeOf(long extent)
    {
        var start = extent * ExtentBytes;
        return new ByteRange(start, (int)Math.Min(ExtentBytes, SizeBytes - start));
    }

    /// <summary>First and last extent a range touches.</summary>
    public (long First, long Last) ExtentsOf(ByteRange range) => (ExtentOf(range.Offset), ExtentOf(range.End - 1));
}
