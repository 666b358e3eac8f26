using IscsiCluster.Storage.RocksDb.Handles;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// A forward iterator in key order (bytewise). <see cref="Key"/> and <see cref="Value"/> point
/// into RocksDB's memory and stay valid until the next move or Dispose. Not thread-safe.
/// An iterator keeps its database open until it is disposed.
/// </summary>
public sealed unsafe class RocksDbIterator : IDisposable
{
    private readonly IteratorHandle _handle;

    internal RocksDbIterator(IteratorHandle handle)
    {
        _handle = handle;
    }

    /// <summary>
    /// True while positioned on an entry. When false because of an error (rather than the end of
    /// the range) it throws <see cref="RocksDbException"/> instead.
    /// </summary>
    public bool Valid
    {
        get
        {
            using var iterator = _handle.Lease();
            if (NativeMethods.rocksdb_iter_valid(iterator.Pointer) != 0)
            {
                return true;
            }

            nint error = 0;
            NativeMethods.rocksdb_iter_get_error(iterator.Pointer, &error);
            NativeError.ThrowIfSet(error);
            return false;
        }
    }

    public ReadOnlySpan<byte> Key
    {
        get
        {
            using var iterator = _handle.Lease();
            ThrowIfNotPositioned(iterator.Pointer);
            nuint length;
            var key = NativeMethods.rocksdb_iter_key(iterator.Pointer, &length);
            return new ReadOnlySpan<byte>(key, checked((int)length));
        }
    }

    public ReadOnlySpan<byte> Value
    {
        get
        {
            using var iterator = _handle.Lease();
            ThrowIfNotPositioned(iterator.Pointer);
            nuint length;
            var value = NativeMethods.rocksdb_iter_value(iterator.Pointer, &length);
            return new ReadOnlySpan<byte>(value, checked((int)length));
        }
    }

    public void SeekToFirst()
    {
        using var iterator = _handle.Lease();
        NativeMethods.rocksdb_iter_seek_to_first(iterator.Pointer);
    }

    /// <summary>Positions on the first key at or after <paramref name="key"/>.</summary>
    public void Seek(ReadOnlySpan<byte> key)
    {
        using var iterator = _handle.Lease();
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_iter_seek(iterator.Pointer, k, (nuint)key.Length);
        }
    }

    public void Next()
    {
        using var iterator = _handle.Lease();
        NativeMethods.rocksdb_iter_next(iterator.Pointer);
    }

    public void Dispose() => _handle.Dispose();

    private static void ThrowIfNotPositioned(nint iterator)
    {
        // rocksdb_iter_key/value on an invalid iterator is undefined behaviour in RocksDB.
        if (NativeMethods.rocksdb_iter_valid(iterator) == 0)
        {
            throw new InvalidOperationException("The iterator is not positioned on an entry.");
        }
    }
}
