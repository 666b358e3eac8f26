using System.Buffers;
using RocksDbSharp;

namespace IscsiCluster.Storage;

/// <summary>
/// Changes to one volume's blocks and to metadata that describes them, applied together as one RocksDB write: all or
/// nothing, with one WAL record (and one fsync when synced). Later changes in a batch see earlier ones (a partial chunk
/// written twice merges both), which a group of writes applied one by one would not guarantee atomically. A volume
/// written through batches must have one writer at a time (the layer above serializes its writes); reads may run
/// concurrently and see the batch wholly or not at all.
/// </summary>
public sealed class VolumeBatch : IDisposable
{
    private readonly BlockStore _store;
    private readonly VolumeInfo _volume;
    private readonly SortedDictionary<long, byte[]?> _chunks = [];
    private readonly List<(byte[] Key, byte[]? Value)> _metadata = [];
    private bool _committed;

    internal VolumeBatch(BlockStore store, VolumeInfo volume)
    {
        _store = store;
        _volume = volume;
    }

    /// <summary>The volume's id.</summary>
    public ulong VolumeId => _volume.Id;

    /// <summary>True when nothing was added.</summary>
    public bool IsEmpty => _chunks.Count == 0 && _metadata.Count == 0;

    /// <summary>Sets bytes [offset, offset + data.Length) of the volume.</summary>
    public void Write(long offset, ReadOnlySpan<byte> data)
    {
        BlockStore.CheckRange(_volume, offset, data.Length);
        var layout = _volume.Layout;
        var chunkSize = layout.ChunkSize;
        var position = offset;
        while (!data.IsEmpty)
        {
            var chunk = layout.ChunkIndexOf(position);
            var inChunk = (int)(position & (chunkSize - 1));
            var part = data[..Math.Min(chunkSize - inChunk, data.Length)];
            var buffer = part.Length == chunkSize ? Rent(chunk) : Current(chunk);
            part.CopyTo(buffer.AsSpan(inChunk));
            position += part.Length;
            data = data[part.Length..];
        }
    }

    /// <summary>Zeroes bytes [offset, offset + length): whole chunks lose their keys, partial ones are zeroed.</summary>
    public void Zero(long offset, long length)
    {
        BlockStore.CheckRange(_volume, offset, length);
        var layout = _volume.Layout;
        var chunkSize = layout.ChunkSize;
        var end = offset + length;
        var position = offset;
        while (position < end)
        {
            var chunk = layout.ChunkIndexOf(position);
            var inChunk = (int)(position & (chunkSize - 1));
            var count = (int)Math.Min(chunkSize - inChunk, end - position);
            if (count == chunkSize || (inChunk == 0 && position + count == _volume.SizeBytes))
            {
                Release(chunk);
                _chunks[chunk] = null;
            }
            else
            {
                Current(chunk).AsSpan(inChunk, count).Clear();
            }

            position += count;
        }
    }

    public void PutMetadata(string key, ReadOnlySpan<byte> value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _metadata.Add((StoreKeys.MetadataKey(key), value.ToArray()));
    }

    public void DeleteMetadata(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        _metadata.Add((StoreKeys.MetadataKey(key), null));
    }

    /// <summary>Applies everything added, atomically; with <paramref name="sync"/> the WAL is fsynced before this returns.</summary>
    public void Commit(bool sync)
    {
        ObjectDisposedException.ThrowIf(_committed, this);
        _committed = true;
        using var batch = new WriteBatch();
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        var chunkSize = _volume.Layout.ChunkSize;
        foreach (var (chunk, data) in _chunks)
        {
            StoreKeys.WriteChunkKey(key, _volume.Id, chunk);
            if (data is null || !data.AsSpan(0, chunkSize).ContainsAnyExcept((byte)0))
            {
                batch.Delete(key);
            }
            else
            {
                batch.Put(key, data.AsSpan(0, chunkSize));
            }
        }

        foreach (var (metadataKey, value) in _metadata)
        {
            if (value is null)
            {
                batch.Delete(metadataKey);
            }
            else
            {
                batch.Put(metadataKey, value);
            }
        }

        _store.Apply(_volume, batch, sync);
    }

    public void Dispose()
    {
        foreach (var data in _chunks.Values)
        {
            if (data is not null)
            {
                ArrayPool<byte>.Shared.Return(data);
            }
        }

        _chunks.Clear();
        _committed = true;
    }

    /// <summary>A buffer for a chunk about to be overwritten whole.</summary>
    private byte[] Rent(long chunk)
    {
        if (_chunks.TryGetValue(chunk, out var existing) && existing is not null)
        {
            return existing;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(_volume.Layout.ChunkSize);
        _chunks[chunk] = buffer;
        return buffer;
    }

    /// <summary>The chunk's contents as this batch leaves them so far (read from the store the first time).</summary>
    private byte[] Current(long chunk)
    {
        if (_chunks.TryGetValue(chunk, out var existing))
        {
            if (existing is not null)
            {
                return existing;
            }

            var zeros = ArrayPool<byte>.Shared.Rent(_volume.Layout.ChunkSize);
            zeros.AsSpan(0, _volume.Layout.ChunkSize).Clear();
            _chunks[chunk] = zeros;
            return zeros;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(_volume.Layout.ChunkSize);
        _store.ReadChunkInto(_volume, chunk, buffer.AsSpan(0, _volume.Layout.ChunkSize));
        _chunks[chunk] = buffer;
        return buffer;
    }

    private void Release(long chunk)
    {
        if (_chunks.TryGetValue(chunk, out var existing) && existing is not null)
        {
            ArrayPool<byte>.Shared.Return(existing);
        }
    }
}
