namespace IscsiCluster.Replication.Log;

/// <summary>A run of bytes of the LUN, without data: what an entry's metadata and a catch-up plan are made of.</summary>
public readonly record struct ByteRange(long Offset, int Length)
{
    /// <summary>One past the last byte.</summary>
    public long End => Offset + Length;

    public override string ToString() => $"[{Offset},{End})";
}
