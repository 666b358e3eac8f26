using IscsiCluster.Storage.RocksDb;

namespace IscsiCluster.Storage.Tests;

internal static class StoreTestOptions
{
    /// <summary>Small caches and memtables so tests stay light on a shared machine.</summary>
    public static readonly BlockStoreOptions Small = new()
    {
        DefaultChunksPerExtent = 4,
        Database = new RocksDbOptions { BlockCacheSize = 8 * RocksDbOptions.MiB, WriteBufferSize = 4 * RocksDbOptions.MiB, MaxBackgroundJobs = 2 },
    };
}
