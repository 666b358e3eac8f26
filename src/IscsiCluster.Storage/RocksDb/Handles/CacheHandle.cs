namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>
/// Owns a <c>rocksdb_cache_t*</c>, freed with <c>rocksdb_cache_destroy</c>. Table options that
/// were given the cache share the underlying LRU cache, so it may be freed once they hold it.
/// </summary>
internal sealed class CacheHandle : NativeHandle
{
    private CacheHandle(nint cache)
        : base(cache, nameof(NativeMethods.rocksdb_cache_create_lru))
    {
    }

    public static CacheHandle CreateLru(long capacityBytes) => new(NativeMethods.rocksdb_cache_create_lru(checked((nuint)capacityBytes)));

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_cache_destroy(handle);
        return true;
    }
}
