using RocksDbSharp;

namespace IscsiCluster.Storage;

/// <summary>Atomic multi-part changes (<see cref="VolumeBatch"/>) and point-in-time reads (<see cref="StoreSnapshot"/>).</summary>
public sealed partial class BlockStore
{
    /// <summary>Starts a batch of changes to the volume (see <see cref="VolumeBatch"/>); nothing is written before its Commit.</summary>
    public VolumeBatch BeginBatch(ulong volumeId)
    {
        ThrowIfDisposed();
        return new VolumeBatch(this, GetVolume(volumeId));
    }

    /// <summary>Takes a snapshot of the whole store (see <see cref="StoreSnapshot"/>).</summary>
    public StoreSnapshot OpenSnapshot()
    {
        ThrowIfDisposed();
        return new StoreSnapshot(this, _db.CreateSnapshot());
    }

    internal void Apply(VolumeInfo volume, WriteBatch batch, bool sync)
    {
        ThrowIfDisposed();
        if (!IsCurrent(volume))
        {
            throw new InvalidOperationException($"Volume {volume.Id} was resized or deleted while a batch of changes to it was built.");
        }

        _db.Write(batch, sync);
    }

    internal void ReadChunkInto(VolumeInfo volume, long chunk, Span<byte> buffer)
    {
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(key, volume.Id, chunk);
        ReadChunkOrZeros(volume, chunk, key, buffer);
    }

    internal void ReadAt(nint snapshot, ulong volumeId, long offset, Span<byte> destination)
    {
        ThrowIfDisposed();
        var volume = GetVolumeForRange(volumeId, offset, destination.Length);
        if (destination.IsEmpty)
        {
            return;
        }

        var layout = volume.Layout;
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        Span<byte> endKey = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(key, volumeId, layout.ChunkIndexOf(offset));
        StoreKeys.WriteChunkKey(endKey, volumeId, layout.ChunkIndexOf(offset + destination.Length - 1) + 1);
        var reader = new ChunkRangeReader(this, volume, offset, destination);
        _db.ScanRange(key, endKey, snapshot, ref reader, ChunkRangeReader.Visitor);
        reader.Finish();
    }

    internal void ReleaseSnapshot(nint snapshot)
    {
        if (Volatile.Read(ref _disposed) == 0)
        {
            _db.ReleaseSnapshot(snapshot);
        }
    }
}
