namespace IscsiCluster.Storage;

/// <summary>
/// Fills a read's destination from a scan of the chunk keys it covers, in key order: each stored
/// chunk is copied once from RocksDB's memory, and the gaps between stored chunks (chunks with no
/// key) are cleared, so unwritten bytes read as zeros. Positions are byte offsets in the volume.
/// </summary>
internal ref struct ChunkRangeReader
{
    private readonly BlockStore _store;
    private readonly VolumeInfo _volume;
    private readonly Span<byte> _destination;
    private readonly long _offset;
    private long _filledTo;

    public ChunkRangeReader(BlockStore store, VolumeInfo volume, long offset, Span<byte> destination)
    {
        _store = store;
        _volume = volume;
        _destination = destination;
        _offset = offset;
        _filledTo = offset;
    }

    /// <summary>The scan's callback; a static lambda, so it is created once.</summary>
    public static RocksDb.RangeVisitor<ChunkRangeReader> Visitor { get; } =
        static (ref ChunkRangeReader reader, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => reader.Accept(key, value);

    /// <summary>Clears what no stored chunk filled, after the scan.</summary>
    public readonly void Finish() => _destination[(int)(_filledTo - _offset)..].Clear();

    private void Accept(ReadOnlySpan<byte> chunkKey, ReadOnlySpan<byte> value)
    {
        var chunk = StoreKeys.ReadChunkIndex(chunkKey);
        var layout = _volume.Layout;
        if (value.Length != layout.ChunkSize)
        {
            _store.ThrowCorruptChunk(_volume, chunk, value.Length);
        }

        var chunkStart = chunk << layout.ChunkShift;
        if (chunkStart > _filledTo)
        {
            _destination[(int)(_filledTo - _offset)..(int)(chunkStart - _offset)].Clear();
        }

        var from = Math.Max(chunkStart, _offset);
        var to = Math.Min(chunkStart + layout.ChunkSize, _offset + _destination.Length);
        value[(int)(from - chunkStart)..(int)(to - chunkStart)].CopyTo(_destination[(int)(from - _offset)..]);
        _filledTo = to;
    }
}
