namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// Receives one entry of <see cref="RocksDatabase.ScanRange{TState}"/>. The key and value point
/// into RocksDB's memory and are valid only during the call.
/// </summary>
public delegate void RangeVisitor<TState>(ref TState state, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    where TState : allows ref struct;

public sealed unsafe partial class RocksDatabase
{
    /// <summary>
    /// Calls <paramref name="visitor"/> for every entry in [<paramref name="startKey"/>,
    /// <paramref name="endKey"/>), in key order, from one consistent view of the database. One
    /// seek and a step per entry: far cheaper than a point lookup per key over a contiguous
    /// range, and it allocates nothing managed. The blocks it reads are not added to the block
    /// cache: a scan reads each block once, and inserting them would evict the blocks of point
    /// reads (the profile of 128 KiB sequential reads also showed the insertions and evictions
    /// as a quarter of the scan's cost). <paramref name="endKey"/> must not be empty.
    /// </summary>
    public void ScanRange<TState>(scoped ReadOnlySpan<byte> startKey, scoped ReadOnlySpan<byte> endKey, ref TState state, RangeVisitor<TState> visitor)
        where TState : allows ref struct
    {
        ArgumentOutOfRangeException.ThrowIfZero(endKey.Length, nameof(endKey));
        ArgumentNullException.ThrowIfNull(visitor);
        using var db = Lease();
        var readOptions = NativeMethods.rocksdb_readoptions_create();
        try
        {
            // The read options keep a pointer to the bound, so it stays pinned until the
            // iterator is gone.
            NativeMethods.rocksdb_readoptions_set_fill_cache(readOptions, 0);
            fixed (byte* start = startKey)
            fixed (byte* end = endKey)
            {
                NativeMethods.rocksdb_readoptions_set_iterate_upper_bound(readOptions, end, (nuint)endKey.Length);
                var iterator = NativeMethods.rocksdb_create_iterator(db.Pointer, readOptions);
                try
                {
                    NativeMethods.rocksdb_iter_seek(iterator, start, (nuint)startKey.Length);
                    while (NativeMethods.rocksdb_iter_valid(iterator) != 0)
                    {
                        nuint keyLength;
                        nuint valueLength;
                        var key = NativeMethods.rocksdb_iter_key(iterator, &keyLength);
                        var value = NativeMethods.rocksdb_iter_value(iterator, &valueLength);
                        visitor(
                            ref state,
                            new ReadOnlySpan<byte>(key, checked((int)keyLength)),
                            new ReadOnlySpan<byte>(value, checked((int)valueLength)));
                        NativeMethods.rocksdb_iter_next(iterator);
                    }

                    nint error = 0;
                    NativeMethods.rocksdb_iter_get_error(iterator, &error);
                    NativeError.ThrowIfSet(error);
                }
                finally
                {
                    NativeMethods.rocksdb_iter_destroy(iterator);
                }
            }
        }
        finally
        {
            NativeMethods.rocksdb_readoptions_destroy(readOptions);
        }
    }
}
