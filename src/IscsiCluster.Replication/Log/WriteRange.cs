namespace IscsiCluster.Replication.Log;

/// <summary>
/// One run of bytes a write sets. Empty <see cref="Data"/> means the run is zeroed (UNMAP, WRITE SAME of zeros): the store
/// may deallocate it, and catch-up ships it without bytes.
/// </summary>
/// <param name="Offset">First byte, from the start of the LUN.</param>
/// <param name="Length">Number of bytes; positive.</param>
/// <param name="Data">Exactly <paramref name="Length"/> bytes, or empty for zeros.</param>
public readonly record struct WriteRange(long Offset, int Length, ReadOnlyMemory<byte> Data)
{
    /// <summary>A run of zeros.</summary>
    public static WriteRange Zero(long offset, int length) => new(offset, length, ReadOnlyMemory<byte>.Empty);

    /// <summary>True when the run is zeroed rather than written with data.</summary>
    public bool IsZero => Data.IsEmpty;

    /// <summary>The bytes the range covers, without its data.</summary>
    public ByteRange Range => new(Offset, Length);

    /// <summary>Well formed: positive length, inside a LUN of <paramref name="sizeBytes"/>, data absent or of the right length.</summary>
    public bool IsValidFor(long sizeBytes) =>
        Length > 0 && Offset >= 0 && Offset + Length <= sizeBytes && (Data.IsEmpty || Data.Length == Length);

    public override string ToString() => IsZero ? $"zero[{Offset},{Offset + Length})" : $"data[{Offset},{Offset + Length})";
}
