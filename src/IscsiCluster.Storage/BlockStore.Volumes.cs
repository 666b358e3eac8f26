using System.Diagnostics.CodeAnalysis;
using IscsiCluster.Storage.RocksDb;
using RocksDbSharp;

namespace IscsiCluster.Storage;

public sealed partial class BlockStore
{
    // Up to this many whole chunks are removed with point deletes; more take one range tombstone
    // (many small range tombstones slow reads down more than a few point deletes do).
    private const int MaxPointDeletes = 8;

    /// <summary>Creates an empty (all-zero, unallocated) volume with the default layout.</summary>
    public VolumeInfo CreateVolume(ulong id, long sizeBytes) => CreateVolume(id, sizeBytes, Options.DefaultLayout);

    /// <summary>
    /// Creates an empty volume of <paramref name="sizeBytes"/> bytes cut by <paramref name="layout"/>.
    /// Throws <see cref="VolumeAlreadyExistsException"/> when the id is taken. The record is synced.
    /// </summary>
    public VolumeInfo CreateVolume(ulong id, long sizeBytes, VolumeLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        ThrowIfDisposed();
        lock (_administration)
        {
            if (_volumes.ContainsKey(id))
            {
                throw new VolumeAlreadyExistsException(id);
            }

            // A new volume has no I/O yet: its locks are made before anyone can find it.
            var volume = new VolumeInfo(id, sizeBytes, layout);
            PutVolumeRecord(volume);
            _locks[id] = new ChunkLocks();
            _volumes[id] = volume;
            return volume;
        }
    }

    /// <summary>
    /// Deletes a volume and all its data with one range tombstone (synced), then compacts the
    /// volume's key range so the space is given back now rather than whenever compaction would
    /// next reach it. Returns false when the volume does not exist.
    /// </summary>
    public bool DeleteVolume(ulong id)
    {
        ThrowIfDisposed();
        Span<byte> start = stackalloc byte[StoreKeys.ChunkKeyLength];
        Span<byte> end = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(start, id, 0);
        StoreKeys.WriteChunkAreaEnd(end, id);
        lock (_administration)
        {
            if (!_volumes.ContainsKey(id) || !_locks.TryGetValue(id, out var locks))
            {
                return false;
            }

            // Only this volume's writers wait; a writer that found these locks before they are dropped finds the volume gone.
            using var held = locks.AcquireAll();

            Span<byte> volumeKey = stackalloc byte[StoreKeys.VolumeKeyLength];
            StoreKeys.WriteVolumeKey(volumeKey, id);
            var batch = RentBatch();
            try
            {
                batch.Delete(volumeKey);
                batch.DeleteRange(start, end);
                _db.Write(batch, sync: true);
            }
            finally
            {
                ReturnBatch(batch);
            }

            _volumes.TryRemove(id, out _);
            _locks.TryRemove(id, out _);
        }

        // Outside the administration lock: other volumes can be created or deleted while the range is compacted.
        _db.CompactRange(start, end);
        return true;
    }

    /// <summary>
    /// Changes a volume's size. Growing adds zeros; shrinking frees the chunks past the new end and
    /// zeroes the cut chunk's tail, so growing again later reads zeros there too.
    /// </summary>
    public VolumeInfo ResizeVolume(ulong id, long newSizeBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(newSizeBytes);
        ThrowIfDisposed();
        using var administration = _administration.EnterScope();
        if (!_volumes.TryGetValue(id, out var volume))
        {
            throw new VolumeNotFoundException(id);
        }

        using var held = LocksOf(id).AcquireAll();

        var resized = volume with { SizeBytes = newSizeBytes };
        var batch = RentBatch();
        try
        {
            if (resized.ChunkCount < volume.ChunkCount)
            {
                StageChunkRemoval(batch, id, resized.ChunkCount, volume.ChunkCount);
            }

            var tail = (int)(newSizeBytes & (volume.Layout.ChunkSize - 1));
            if (newSizeBytes < volume.SizeBytes && tail != 0)
            {
                StageZeroed(batch, volume, resized.ChunkCount - 1, tail, volume.Layout.ChunkSize - tail);
            }

            Span<byte> key = stackalloc byte[StoreKeys.VolumeKeyLength];
            Span<byte> record = stackalloc byte[VolumeRecord.Length];
            StoreKeys.WriteVolumeKey(key, id);
            VolumeRecord.Write(record, resized);
            batch.Put(key, record);
            _db.Write(batch, sync: true);
        }
        finally
        {
            ReturnBatch(batch);
        }

        _volumes[id] = resized;
        return resized;
    }

    public bool TryGetVolume(ulong id, [NotNullWhen(true)] out VolumeInfo? volume)
    {
        ThrowIfDisposed();
        return _volumes.TryGetValue(id, out volume);
    }

    /// <summary>Every volume, ordered by id.</summary>
    public IReadOnlyList<VolumeInfo> ListVolumes()
    {
        ThrowIfDisposed();
        var volumes = new List<VolumeInfo>(_volumes.Values);
        volumes.Sort(static (a, b) => a.Id.CompareTo(b.Id));
        return volumes;
    }

    /// <summary>Bytes held by the volume's stored chunks (chunks present times chunk size), counted with a scan.</summary>
    public long AllocatedBytes(ulong volumeId)
    {
        ThrowIfDisposed();
        var volume = GetVolume(volumeId);
        Span<byte> start = stackalloc byte[StoreKeys.ChunkKeyLength];
        Span<byte> end = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(start, volumeId, 0);
        StoreKeys.WriteChunkAreaEnd(end, volumeId);

        long chunks = 0;
        _db.ScanRange(start, end, ref chunks, static (ref long count, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => count++);
        return chunks * volume.Layout.ChunkSize;
    }

    private VolumeInfo GetVolume(ulong volumeId) =>
        _volumes.TryGetValue(volumeId, out var volume) ? volume : throw new VolumeNotFoundException(volumeId);

    private void LoadVolumes()
    {
        var store = this;
        _db.ScanRange(StoreKeys.VolumeAreaStart, StoreKeys.VolumeAreaEnd, ref store, static (ref BlockStore self, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            self.LoadVolume(key, value));
    }

    private void LoadVolume(ReadOnlySpan<byte> key, ReadOnlySpan<byte> record)
    {
        if (key.Length != StoreKeys.VolumeKeyLength)
        {
            throw new InvalidDataException($"The block store in '{_db.Path}' holds a volume key of {key.Length} bytes.");
        }

        var id = StoreKeys.ReadVolumeId(key);
        _locks[id] = new ChunkLocks();
        _volumes[id] = VolumeRecord.Read(id, record);
    }

    private void PutVolumeRecord(VolumeInfo volume)
    {
        Span<byte> key = stackalloc byte[StoreKeys.VolumeKeyLength];
        Span<byte> record = stackalloc byte[VolumeRecord.Length];
        StoreKeys.WriteVolumeKey(key, volume.Id);
        VolumeRecord.Write(record, volume);
        _db.Put(key, record, sync: true);
    }

    /// <summary>Adds the removal of chunks [<paramref name="firstChunk"/>, <paramref name="endChunk"/>) to <paramref name="batch"/>.</summary>
    private static void StageChunkRemoval(WriteBatch batch, ulong volumeId, long firstChunk, long endChunk)
    {
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        if (endChunk - firstChunk <= MaxPointDeletes)
        {
            for (var chunk = firstChunk; chunk < endChunk; chunk++)
            {
                StoreKeys.WriteChunkKey(key, volumeId, chunk);
                batch.Delete(key);
            }

            return;
        }

        Span<byte> end = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(key, volumeId, firstChunk);
        StoreKeys.WriteChunkKey(end, volumeId, endChunk);
        batch.DeleteRange(key, end);
    }
}
