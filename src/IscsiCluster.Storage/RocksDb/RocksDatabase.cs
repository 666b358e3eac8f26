using RocksDbSharp;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// The block store's seam onto RocksDbSharp: one open database (default column family), the
/// read and write options every call uses, and the span-based calls the store's hot paths need
/// (a point read copies from RocksDB's pinned value, a scan hands out key and value spans), which
/// RocksDbSharp offers only through its low-level <see cref="Native"/> functions. Every method is
/// safe to call from several threads at once. RocksDbSharp's <see cref="RocksDbSharp.RocksDb"/>
/// would close the database under a call still running on another thread, so calls enter a
/// <see cref="DatabaseLifetime"/> and Dispose closes the database exactly once, after the last of
/// them has returned; calls after Dispose throw <see cref="ObjectDisposedException"/>. Errors
/// are RocksDbSharp's <see cref="RocksDbException"/>, carrying RocksDB's status text.
/// </summary>
internal sealed unsafe partial class RocksDatabase : IDisposable
{
    // Read once: every call below goes through the package's loaded native library.
    private static readonly Native Rocks = Native.Instance;

    private readonly RocksDbSharp.RocksDb _db;
    private readonly ReadOptions _readOptions = new();
    private readonly WriteOptions _asyncWriteOptions = new();
    private readonly WriteOptions _syncWriteOptions = new WriteOptions().SetSync(true);
    private readonly DatabaseLifetime _lifetime;

    private RocksDatabase(RocksDbSharp.RocksDb db, string path)
    {
        _db = db;
        Path = path;
        _lifetime = new DatabaseLifetime(db.Dispose);
    }

    /// <summary>The directory the database was opened from.</summary>
    public string Path { get; }

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; with <paramref name="sync"/> the WAL is fsynced before returning.</summary>
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value, bool sync = false)
    {
        using var call = Enter();
        _db.Put(key, value, cf: null, WriteOptions(sync));
    }

    /// <summary>Removes <paramref name="key"/> (a no-op when it is absent).</summary>
    public void Delete(ReadOnlySpan<byte> key, bool sync = false)
    {
        using var call = Enter();
        _db.Remove(key, cf: null, WriteOptions(sync));
    }

    /// <summary>Applies every operation of <paramref name="batch"/> atomically.</summary>
    public void Write(WriteBatch batch, bool sync = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var call = Enter();
        _db.Write(batch, WriteOptions(sync));
    }

    /// <summary>Returns a copy of the value of <paramref name="key"/>, or null when it is absent.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        using var call = Enter();
        return _db.Get(key, cf: null, _readOptions);
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
    /// RocksDbSharp's own span read (<c>GetFixedSizeValue</c>) copies through a malloc()-ed value
    /// and refuses any length but the destination's, so this uses the pinnable slice.
    /// </summary>
    public bool TryGet(ReadOnlySpan<byte> key, int valueOffset, Span<byte> destination, out int valueLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(valueOffset);
        using var call = Enter();
        nint slice;
        fixed (byte* k = key)
        {
            slice = Rocks.rocksdb_get_pinned(_db.Handle, _readOptions.Handle, k, (nuint)key.Length);
        }

        if (slice == 0)
        {
            valueLength = 0;
            return false;
        }

        try
        {
            var value = new ReadOnlySpan<byte>(
                (byte*)Rocks.rocksdb_pinnableslice_value(slice, out var length), checked((int)length));
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
            Rocks.rocksdb_pinnableslice_destroy(slice);
        }
    }

    /// <summary>
    /// Takes a snapshot: scans given it read the database as it is now, whatever is written later. Release it with
    /// <see cref="ReleaseSnapshot"/> (before the database is disposed).
    /// </summary>
    public nint CreateSnapshot()
    {
        using var call = Enter();
        return Rocks.rocksdb_create_snapshot(_db.Handle);
    }

    public void ReleaseSnapshot(nint snapshot)
    {
        using var call = Enter();
        Rocks.rocksdb_release_snapshot(_db.Handle, snapshot);
    }

    /// <summary>Writes the WAL buffer to the OS and, with <paramref name="sync"/>, fsyncs it.</summary>
    public void FlushWal(bool sync = true)
    {
        using var call = Enter();
        Rocks.rocksdb_flush_wal(_db.Handle, sync ? (byte)1 : (byte)0);
    }

    /// <summary>Compacts every key in [<paramref name="startKey"/>, <paramref name="limitKey"/>]; empty spans leave that end open.</summary>
    public void CompactRange(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> limitKey)
    {
        using var call = Enter();

        // An empty span pins to a null pointer, which RocksDB takes as an open end.
        fixed (byte* start = startKey)
        fixed (byte* limit = limitKey)
        {
            Rocks.rocksdb_compact_range(_db.Handle, start, (nuint)startKey.Length, limit, (nuint)limitKey.Length);
        }
    }

    /// <summary>
    /// Returns a RocksDB property such as <c>rocksdb.stats</c>, <c>rocksdb.estimate-num-keys</c> or
    /// <c>rocksdb.block-cache-usage</c>; null when RocksDB does not know the name.
    /// </summary>
    public string? GetProperty(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        using var call = Enter();
        return _db.GetProperty(name);
    }

    /// <summary>Closes the database once every call in flight has returned; later calls throw.</summary>
    public void Dispose() => _lifetime.Dispose();

    private DatabaseLifetime.Call Enter() => _lifetime.Enter(this);

    private WriteOptions WriteOptions(bool sync) => sync ? _syncWriteOptions : _asyncWriteOptions;
}
