using System.Runtime.InteropServices;
using IscsiCluster.Storage.RocksDb.Handles;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// One open RocksDB database (default column family). Every method is safe to call from several
/// threads at once; Dispose closes the database exactly once, after in-flight calls and open
/// iterators have released it. Keys and values are byte spans; an empty span passed as a range
/// limit means "unbounded".
/// </summary>
public sealed unsafe partial class RocksDatabase : IDisposable
{
    private readonly DatabaseHandle _db;

    // Owned by _db (kept alive until after rocksdb_close), so a lease on _db covers them.
    private readonly nint _readOptions;
    private readonly nint _asyncWriteOptions;
    private readonly nint _syncWriteOptions;
    private int _disposed;

    private RocksDatabase(DatabaseHandle db, string path)
    {
        _db = db;
        Path = path;
        _readOptions = AdoptCompanion(ReadOptionsHandle.Create());
        _asyncWriteOptions = AdoptCompanion(WriteOptionsHandle.Create(sync: false));
        _syncWriteOptions = AdoptCompanion(WriteOptionsHandle.Create(sync: true));
    }

    /// <summary>The directory the database was opened from.</summary>
    public string Path { get; }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; with <paramref name="sync"/> the WAL is fsynced before returning.</summary>
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false)
    {
        using var db = Lease();
        nint error = 0;
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            NativeMethods.rocksdb_put(db.Pointer, WriteOptions(sync), k, (nuint)key.Length, v, (nuint)value.Length, &error);
        }

        NativeError.ThrowIfSet(error);
    }

    /// <summary>Removes <paramref name="key"/> (a no-op when it is absent).</summary>
    public void Delete(ReadOnlySpan<byte> key, bool sync = false)
    {
        using var db = Lease();
        nint error = 0;
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_delete(db.Pointer, WriteOptions(sync), k, (nuint)key.Length, &error);
        }

        NativeError.ThrowIfSet(error);
    }

    /// <summary>Removes every key in [<paramref name="startKey"/>, <paramref name="endKey"/>) with one range tombstone.</summary>
    public void DeleteRange(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey, bool sync = false)
    {
        using var batch = new WriteBatch();
        batch.DeleteRange(startKey, endKey);
        Write(batch, sync);
    }

    /// <summary>Applies every operation of <paramref name="batch"/> atomically.</summary>
    public void Write(WriteBatch batch, bool sync = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var db = Lease();
        using var nativeBatch = batch.Handle.Lease();
        nint error = 0;
        NativeMethods.rocksdb_write(db.Pointer, WriteOptions(sync), nativeBatch.Pointer, &error);
        NativeError.ThrowIfSet(error);
    }

    /// <summary>Returns a copy of the value of <paramref name="key"/>, or null when it is absent.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        using var db = Lease();
        var slice = GetPinned(db.Pointer, key);
        if (slice == 0)
        {
            return null;
        }

        try
        {
            return PinnedValue(slice).ToArray();
        }
        finally
        {
            NativeMethods.rocksdb_pinnableslice_destroy(slice);
        }
    }

    /// <summary>
    /// Copies the value of <paramref name="key"/> into <paramref name="destination"/> straight from
    /// RocksDB's pinned buffer (no intermediate copy). Returns false when the key is absent.
    /// <paramref name="valueLength"/> is the full value length; when it exceeds the destination
    /// only the first <c>destination.Length</c> bytes are copied.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> key, Span<byte> destination, out int valueLength) =>
        TryGet(key, 0, destination, out valueLength);

    /// <summary>
    /// Like <see cref="TryGet(ReadOnlySpan{byte}, Span{byte}, out int)"/>, copying the value's bytes
    /// from <paramref name="valueOffset"/> on (as many as fit; none when the value is shorter).
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> key, int valueOffset, Span<byte> destination, out int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueOffset);
        using var db = Lease();
        var slice = GetPinned(db.Pointer, key);
        if (slice == 0)
        {
            valueLength = 0;
            return false;
        }

        try
        {
            var value = PinnedValue(slice);
            valueLength = value.Length;
            if (valueOffset < value.Length)
            {
                var part = value[valueOffset..];
                part[..Math.Min(part.Length, destination.Length)].CopyTo(destination);
            }

            return true;
        }
        finally
        {
            NativeMethods.rocksdb_pinnableslice_destroy(slice);
        }
    }

    /// <summary>Writes the WAL buffer to the OS and, with <paramref name="sync"/>, fsyncs it.</summary>
    public void FlushWal(bool sync = true)
    {
        using var db = Lease();
        nint error = 0;
        NativeMethods.rocksdb_flush_wal(db.Pointer, sync ? (byte)1 : (byte)0, &error);
        NativeError.ThrowIfSet(error);
    }

    /// <summary>Compacts every key in [<paramref name="startKey"/>, <paramref name="limitKey"/>]; empty spans leave that end open.</summary>
    public void CompactRange(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> limitKey)
    {
        using var db = Lease();
        fixed (byte* start = startKey)
        fixed (byte* limit = limitKey)
        {
            NativeMethods.rocksdb_compact_range(db.Pointer, start, (nuint)startKey.Length, limit, (nuint)limitKey.Length);
        }
    }

    /// <summary>
    /// Returns a RocksDB property such as <c>rocksdb.stats</c>, <c>rocksdb.estimate-num-keys</c> or
    /// <c>rocksdb.block-cache-usage</c>; null when RocksDB does not know the name.
    /// </summary>
    public string? GetProperty(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var db = Lease();
        var value = NativeMethods.rocksdb_property_value(db.Pointer, name);
        if (value == 0)
        {
            return null;
        }

        try
        {
            return Marshal.PtrToStringUTF8(value);
        }
        finally
        {
            NativeMethods.rocksdb_free(value);
        }
    }

    /// <summary>An iterator over the whole database; dispose it (it keeps the database open).</summary>
    public RocksDbIterator CreateIterator() => CreateIterator(default, default);

    /// <summary>An iterator over [<paramref name="lowerBound"/>, <paramref name="upperBound"/>); an empty bound is open.</summary>
    public RocksDbIterator CreateIterator(ReadOnlySpan<byte> lowerBound, ReadOnlySpan<byte> upperBound)
    {
        var readOptions = ReadOptionsHandle.CreateBounded(lowerBound, upperBound);
        try
        {
            ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
            return new RocksDbIterator(IteratorHandle.Create(_db, readOptions));
        }
        finally
        {
            // The iterator holds its own reference; this drops the creator's.
            readOptions.Dispose();
        }
    }

    /// <summary>Closes the database once every in-flight call and open iterator has let go of it.</summary>
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _db.Dispose();
    }

    private nint AdoptCompanion(NativeHandle companion)
    {
        _db.KeepAlive(companion);
        var pointer = companion.DangerousGetHandle();

        // The database's reference is now the only one; it frees the options after closing.
        companion.Dispose();
        return pointer;
    }

    /// <summary>
    /// Leases the database for one call. The handle alone would still accept calls after Dispose
    /// while an iterator keeps it open, so the flag makes every call after Dispose fail.
    /// </summary>
    private HandleLease Lease()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _db.Lease();
    }

    private nint WriteOptions(bool sync) => sync ? _syncWriteOptions : _asyncWriteOptions;

    private nint GetPinned(nint db, ReadOnlySpan<byte> key)
    {
        nint error = 0;
        nint slice;
        fixed (byte* k = key)
        {
            slice = NativeMethods.rocksdb_get_pinned(db, _readOptions, k, (nuint)key.Length, &error);
        }

        NativeError.ThrowIfSet(error);
        return slice;
    }

    private static ReadOnlySpan<byte> PinnedValue(nint slice)
    {
        nuint length;
        var value = NativeMethods.rocksdb_pinnableslice_value(slice, &length);
        return new ReadOnlySpan<byte>(value, checked((int)length));
    }
}
