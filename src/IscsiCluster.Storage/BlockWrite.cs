namespace IscsiCluster.Storage;

/// <summary>One write of a group given to <see cref="BlockStore.Write(ulong, ReadOnlySpan{BlockWrite}, bool)"/>: <see cref="Data"/> at byte <see cref="Offset"/> of the volume.</summary>
public readonly record struct BlockWrite(long Offset, ReadOnlyMemory<byte> Data);
