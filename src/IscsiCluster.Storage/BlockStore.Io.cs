using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using IscsiCluster.Storage.RocksDb;
using RocksDbSharp;

namespace IscsiCluster.Storage;

public sealed partial class BlockStore
{
    /// <summary>
    /// The longest read served by point lookups. An iterator's creation and seek cost several
    /// lookups (they position in every level), so a 4 KiB read that straddles two chunks is
    /// cheaper as two lookups, while a 128 KiB read is far cheaper as one scan.
    /// </summary>
    public const int MaxPointReadChunks = 4;

    /// <summary>
    /// Reads <c>destination.Length</c> bytes at byte <paramref name="offset"/> of the volume.
    /// Chunks with no key read as zeros. Each chunk is copied once, from RocksDB's memory into
    /// <paramref name="destination"/>: a read of up to <see cref="MaxPointReadChunks"/> chunks is a
    /// point lookup per chunk, a longer one a single scan of its contiguous key range. Reads take
    /// no locks; a read concurrent with a write returns each chunk wholly before or wholly after
    /// that write.
    /// </summary>
    public void Read(ulong volumeId, long offset, Span<byte> destination)
    {
        ThrowIfDisposed();
        var volume = GetVolumeForRange(volumeId, offset, destination.Length);
        if (destination.IsEmpty)
        {
            return;
        }

        var layout = volume.Layout;
        var firstChunk = layout.ChunkIndexOf(offset);
        var lastChunk = layout.ChunkIndexOf(offset + destination.Length - 1);
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        if (lastChunk - firstChunk < MaxPointReadChunks)
        {
            var position = offset;
            for (var chunk = firstChunk; chunk <= lastChunk; chunk++)
            {
                var inChunk = (int)(position & (layout.ChunkSize - 1));
                var part = destination[..Math.Min(layout.ChunkSize - inChunk, destination.Length)];
                StoreKeys.WriteChunkKey(key, volumeId, chunk);
                ReadWithinChunk(volume, chunk, key, inChunk, part);
                position += part.Length;
                destination = destination[part.Length..];
            }

            return;
        }

        StoreKeys.WriteChunkKey(key, volumeId, firstChunk);

        Span<byte> endKey = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(endKey, volumeId, lastChunk + 1);
        var reader = new ChunkRangeReader(this, volume, offset, destination);
        _db.ScanRange(key, endKey, ref reader, ChunkRangeReader.Visitor);
        reader.Finish();
    }

    /// <summary>
    /// Writes <paramref name="source"/> at byte <paramref name="offset"/> of the volume, atomically:
    /// all chunks it touches go to RocksDB in one write (a single put for one chunk, one batch
    /// for several). Partial chunks are read, merged and rewritten under their chunk lock. A chunk
    /// that ends up all zeros is deleted rather than stored. With <paramref name="sync"/> the WAL
    /// is fsynced before this returns (FUA).
    /// </summary>
    public void Write(ulong volumeId, long offset, ReadOnlySpan<byte> source, bool sync)
    {
        ThrowIfDisposed();
        while (true)
        {
            var volume = GetVolumeForRange(volumeId, offset, source.Length);
            if (source.IsEmpty)
            {
                return;
            }

            var firstChunk = volume.Layout.ChunkIndexOf(offset);
            var lastChunk = volume.Layout.ChunkIndexOf(offset + source.Length - 1);
            using var held = LocksOf(volumeId).Acquire(firstChunk, lastChunk - firstChunk + 1);
            if (IsCurrent(volume))
            {
                WriteHeld(volume, offset, source, sync);
                return;
            }

            // The volume was resized or recreated while this write waited: check it again.
        }
    }

    /// <summary>
    /// Applies several writes to one volume, in order, as a group commit: they go to RocksDB as
    /// one write (one WAL record, and with <paramref name="sync"/> one fsync) as long as no two
    /// of them touch the same chunk. A write that touches a chunk an earlier one of the group
    /// touched starts a further RocksDB write, so that its read-modify-write sees the earlier
    /// write. Each write is atomic, as with the single-write overload. Each range is checked
    /// before its write joins the group: one that lies outside the volume is left out alone, and
    /// the others are written. Returns, for each write, whether it was applied.
    /// </summary>
    public bool[] Write(ulong volumeId, ReadOnlySpan<BlockWrite> writes, bool sync)
    {
        ThrowIfDisposed();
        var applied = new bool[writes.Length];
        var accepted = new List<BlockWrite>(writes.Length);
        var ranges = new List<(long FirstChunk, long ChunkCount)>(writes.Length);
        while (true)
        {
            var volume = GetVolume(volumeId);
            accepted.Clear();
            ranges.Clear();
            for (var i = 0; i < writes.Length; i++)
            {
                var (offset, data) = writes[i];
                applied[i] = IsInside(volume, offset, data.Length);
                if (!applied[i] || data.IsEmpty)
                {
                    continue;
                }

                var firstChunk = volume.Layout.ChunkIndexOf(offset);
                accepted.Add(writes[i]);
                ranges.Add((firstChunk, volume.Layout.ChunkIndexOf(offset + data.Length - 1) - firstChunk + 1));
            }

            if (accepted.Count == 0)
            {
                return applied;
            }

            var acceptedRanges = CollectionsMarshal.AsSpan(ranges);
            using var held = LocksOf(volumeId).AcquireMany(acceptedRanges);
            if (IsCurrent(volume))
            {
                WriteGroupHeld(volume, CollectionsMarshal.AsSpan(accepted), acceptedRanges, sync);
                return applied;
            }

            // The volume was resized or recreated while the group waited: check it again.
        }
    }

    /// <summary>
    /// Deallocates a byte range: whole chunks lose their keys, the partial chunks at its edges
    /// have the range zeroed (and are deleted when nothing else remains). Not synced; a later
    /// <see cref="Flush"/> or synced write makes it durable.
    /// </summary>
    public void Unmap(ulong volumeId, long offset, long length)
    {
        ThrowIfDisposed();
        while (true)
        {
            var volume = GetVolumeForRange(volumeId, offset, length);
            if (length == 0)
            {
                return;
            }

            var firstChunk = volume.Layout.ChunkIndexOf(offset);
            var lastChunk = volume.Layout.ChunkIndexOf(offset + length - 1);
            using var held = LocksOf(volumeId).Acquire(firstChunk, lastChunk - firstChunk + 1);
            if (IsCurrent(volume))
            {
                UnmapHeld(volume, offset, length);
                return;
            }
        }
    }

    private void WriteHeld(VolumeInfo volume, long offset, ReadOnlySpan<byte> source, bool sync)
    {
        var layout = volume.Layout;
        var chunkSize = layout.ChunkSize;
        var firstChunk = layout.ChunkIndexOf(offset);
        var inFirstChunk = (int)(offset & (chunkSize - 1));
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];

        if (inFirstChunk + source.Length <= chunkSize)
        {
            StoreKeys.WriteChunkKey(key, volume.Id, firstChunk);
            if (source.Length == chunkSize)
            {
                PutOrDelete(key, source, sync);
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
            try
            {
                var merged = buffer.AsSpan(0, chunkSize);
                ReadChunkOrZeros(volume, firstChunk, key, merged);
                source.CopyTo(merged[inFirstChunk..]);
                PutOrDelete(key, merged, sync);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return;
        }

        var batch = RentBatch();
        try
        {
            StageWrite(batch, volume, offset, source);
            _db.Write(batch, sync);
        }
        finally
        {
            ReturnBatch(batch);
        }
    }

    private void WriteGroupHeld(VolumeInfo volume, ReadOnlySpan<BlockWrite> writes, ReadOnlySpan<(long FirstChunk, long ChunkCount)> ranges, bool sync)
    {
        var batch = RentBatch();
        try
        {
            // Writes [segmentStart, i) are staged in the batch and touch pairwise distinct chunks.
            var segmentStart = 0;
            for (var i = 0; i < writes.Length; i++)
            {
                if (writes[i].Data.IsEmpty)
                {
                    continue;
                }

                if (OverlapsAny(ranges[i], ranges[segmentStart..i]))
                {
                    _db.Write(batch, sync: false);
                    batch.Clear();
                    segmentStart = i;
                }

                StageWrite(batch, volume, writes[i].Offset, writes[i].Data.Span);
            }

            if (batch.Count() > 0)
            {
                _db.Write(batch, sync);
            }
        }
        finally
        {
            ReturnBatch(batch);
        }
    }

    private static bool OverlapsAny((long FirstChunk, long ChunkCount) range, ReadOnlySpan<(long FirstChunk, long ChunkCount)> others)
    {
        foreach (var other in others)
        {
            if (other.ChunkCount > 0
                && range.FirstChunk < other.FirstChunk + other.ChunkCount
                && other.FirstChunk < range.FirstChunk + range.ChunkCount)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Adds to <paramref name="batch"/> every chunk a write of <paramref name="source"/> at <paramref name="offset"/> touches; partial chunks are merged with what is stored.</summary>
    private void StageWrite(WriteBatch batch, VolumeInfo volume, long offset, ReadOnlySpan<byte> source)
    {
        var layout = volume.Layout;
        var chunkSize = layout.ChunkSize;
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        var position = offset;
        for (var chunk = layout.ChunkIndexOf(offset); !source.IsEmpty; chunk++)
        {
            var inChunk = (int)(position & (chunkSize - 1));
            var part = source[..Math.Min(chunkSize - inChunk, source.Length)];
            StoreKeys.WriteChunkKey(key, volume.Id, chunk);
            if (part.Length == chunkSize)
            {
                StagePutOrDelete(batch, key, part);
            }
            else
            {
                StageMerged(batch, volume, chunk, key, inChunk, part);
            }

            position += part.Length;
            source = source[part.Length..];
        }
    }

    private void UnmapHeld(VolumeInfo volume, long offset, long length)
    {
        var layout = volume.Layout;
        var chunkSize = layout.ChunkSize;
        var end = offset + length;
        var firstChunk = layout.ChunkIndexOf(offset);
        var lastChunk = layout.ChunkIndexOf(end - 1);

        // Chunks [firstWhole, endWhole) lie entirely inside the range; the last chunk of the
        // volume counts as whole when the range runs to the volume's end (its tail is zero).
        var firstWhole = layout.ChunkIndexOf(offset + chunkSize - 1);
        var endWhole = end == volume.SizeBytes ? volume.ChunkCount : layout.ChunkIndexOf(end);

        var batch = RentBatch();
        try
        {
            if (firstWhole < endWhole)
            {
                StageChunkRemoval(batch, volume.Id, firstWhole, endWhole);
            }

            var firstIsPartial = firstChunk < firstWhole;
            if (firstIsPartial)
            {
                var inChunk = (int)(offset & (chunkSize - 1));
                StageZeroed(batch, volume, firstChunk, inChunk, (int)Math.Min(chunkSize - inChunk, length));
            }

            if (lastChunk >= endWhole && !(firstIsPartial && lastChunk == firstChunk))
            {
                StageZeroed(batch, volume, lastChunk, 0, (int)(end - (lastChunk << layout.ChunkShift)));
            }

            if (batch.Count() > 0)
            {
                _db.Write(batch, sync: false);
            }
        }
        finally
        {
            ReturnBatch(batch);
        }
    }

    /// <summary>Adds to <paramref name="batch"/> the chunk with <paramref name="data"/> merged in at <paramref name="inChunk"/>.</summary>
    private void StageMerged(WriteBatch batch, VolumeInfo volume, long chunk, ReadOnlySpan<byte> key, int inChunk, ReadOnlySpan<byte> data)
    {
        var chunkSize = volume.Layout.ChunkSize;
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            var merged = buffer.AsSpan(0, chunkSize);
            ReadChunkOrZeros(volume, chunk, key, merged);
            data.CopyTo(merged[inChunk..]);
            StagePutOrDelete(batch, key, merged);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Adds to <paramref name="batch"/> the chunk with bytes [start, start + count) zeroed; nothing when it is not stored.</summary>
    private void StageZeroed(WriteBatch batch, VolumeInfo volume, long chunk, int start, int count)
    {
        var chunkSize = volume.Layout.ChunkSize;
        Span<byte> key = stackalloc byte[StoreKeys.ChunkKeyLength];
        StoreKeys.WriteChunkKey(key, volume.Id, chunk);
        var buffer = ArrayPool<byte>.Shared.Rent(chunkSize);
        try
        {
            var merged = buffer.AsSpan(0, chunkSize);
            if (ReadChunkOrZeros(volume, chunk, key, merged))
            {
                merged.Slice(start, count).Clear();
                StagePutOrDelete(batch, key, merged);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies bytes from <paramref name="inChunk"/> on of one chunk into <paramref name="destination"/>, or zeros when it has no key.</summary>
    private void ReadWithinChunk(VolumeInfo volume, long chunk, ReadOnlySpan<byte> key, int inChunk, Span<byte> destination)
    {
        if (!_db.TryGet(key, inChunk, destination, out var storedLength))
        {
            destination.Clear();
        }
        else if (storedLength != volume.Layout.ChunkSize)
        {
            ThrowCorruptChunk(volume, chunk, storedLength);
        }
    }

    /// <summary>Fills <paramref name="chunkBuffer"/> with the stored chunk, or zeros when it has no key (returns false).</summary>
    private bool ReadChunkOrZeros(VolumeInfo volume, long chunk, ReadOnlySpan<byte> key, Span<byte> chunkBuffer)
    {
        if (!_db.TryGet(key, chunkBuffer, out var storedLength))
        {
            chunkBuffer.Clear();
            return false;
        }

        if (storedLength != chunkBuffer.Length)
        {
            ThrowCorruptChunk(volume, chunk, storedLength);
        }

        return true;
    }

    private void PutOrDelete(ReadOnlySpan<byte> key, ReadOnlySpan<byte> chunkData, bool sync)
    {
        if (IsAllZero(chunkData))
        {
            _db.Delete(key, sync);
        }
        else
        {
            _db.Put(key, chunkData, sync);
        }
    }

    private static void StagePutOrDelete(WriteBatch batch, ReadOnlySpan<byte> key, ReadOnlySpan<byte> chunkData)
    {
        if (IsAllZero(chunkData))
        {
            batch.Delete(key);
        }
        else
        {
            batch.Put(key, chunkData);
        }
    }

    private static bool IsAllZero(ReadOnlySpan<byte> data) => !data.ContainsAnyExcept((byte)0);

    /// <summary>The volume's chunk locks; a volume deleted meanwhile is not found.</summary>
    private ChunkLocks LocksOf(ulong volumeId) =>
        _locks.TryGetValue(volumeId, out var locks) ? locks : throw new VolumeNotFoundException(volumeId);

    /// <summary>Holds every chunk lock of one volume until disposed: what a resize takes, and the tests' way to hold a volume's writers back.</summary>
    internal ChunkLocks.Held LockWholeVolume(ulong volumeId) => LocksOf(volumeId).AcquireAll();

    private bool IsCurrent(VolumeInfo volume) =>
        _volumes.TryGetValue(volume.Id, out var current) && ReferenceEquals(current, volume);

    /// <summary>The volume, after checking that [offset, offset + length) lies inside it.</summary>
    private VolumeInfo GetVolumeForRange(ulong volumeId, long offset, long length)
    {
        var volume = GetVolume(volumeId);
        CheckRange(volume, offset, length);
        return volume;
    }

    internal static void CheckRange(VolumeInfo volume, long offset, long length)
    {
        if (!IsInside(volume, offset, length))
        {
            ThrowOutsideVolume(volume, offset, length);
        }
    }

    private static bool IsInside(VolumeInfo volume, long offset, long length) =>
        offset >= 0 && length >= 0 && offset <= volume.SizeBytes - length;

    [DoesNotReturn]
    private static void ThrowOutsideVolume(VolumeInfo volume, long offset, long length) =>
        throw new ArgumentOutOfRangeException(
            nameof(offset), $"Bytes [{offset}, {offset} + {length}) are outside volume {volume.Id} of {volume.SizeBytes} bytes.");

    [DoesNotReturn]
    internal void ThrowCorruptChunk(VolumeInfo volume, long chunk, int storedLength) =>
        throw new InvalidDataException(
            $"Chunk {chunk} of volume {volume.Id} in '{_db.Path}' holds {storedLength} bytes instead of {volume.Layout.ChunkSize}.");
}
