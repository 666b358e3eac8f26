using RocksDbSharp;

namespace IscsiCluster.Storage.RocksDb;

internal sealed partial class RocksDatabase
{
    /// <summary>
    /// Opens (with <see cref="RocksDbOptions.CreateIfMissing"/>, creates) the database in
    /// <paramref name="path"/>. Throws <see cref="RocksDbException"/> with RocksDB's message when
    /// the directory cannot be used, e.g. it is a file or another opener holds its LOCK.
    /// </summary>
    public static RocksDatabase Open(string path, RocksDbOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new RocksDbOptions();
        options.Validate();

        // RocksDB copies what it needs from the options at open time (the table factory holds
        // the cache through a shared_ptr), so RocksDbSharp's finalizers may free them afterwards.
        return new RocksDatabase(RocksDbSharp.RocksDb.Open(CreateOptions(options), path), path);
    }

    private static DbOptions CreateOptions(RocksDbOptions settings)
    {
        var tableOptions = new BlockBasedTableOptions()
            .SetBlockCache(Cache.CreateLru((ulong)settings.BlockCacheSize))
            .SetBlockSize((ulong)settings.TableBlockSize);
        if (settings.BloomFilterBitsPerKey > 0)
        {
            // The full filter with fractional bits per key (RocksDbSharp's BloomFilterPolicy takes
            // whole bits); ownership of the policy passes to the table options.
            tableOptions.SetFilterPolicy(Rocks.rocksdb_filterpolicy_create_bloom_full(settings.BloomFilterBitsPerKey));
        }

        Rocks.rocksdb_block_based_options_set_checksum(tableOptions.Handle, (char)settings.BlockChecksum);

        var options = new DbOptions();
        if (settings.LevelStyleCompactionMemtableBudget > 0)
        {
            options.OptimizeLevelStyleCompaction((ulong)settings.LevelStyleCompactionMemtableBudget);
        }

        // optimize_level_style_compaction sets per-level compression; an empty list makes the
        // single setting apply to every level.
        options
            .SetBlockBasedTableFactory(tableOptions)
            .SetCreateIfMissing(settings.CreateIfMissing)
            .SetWriteBufferSize((ulong)settings.WriteBufferSize)
            .SetMaxWriteBufferNumber(settings.MaxWriteBufferNumber)
            .SetCompressionPerLevel([], 0UL)
            .SetCompression(Compression.No)
            .SetMaxTotalWalSize((ulong)settings.MaxTotalWalSize)
            .SetKeepLogFileNum((ulong)settings.KeepInfoLogFiles)
            .SetMaxLogFileSize((ulong)settings.MaxInfoLogFileSize);
        if (!string.IsNullOrEmpty(settings.WalDirectory))
        {
            options.SetWalDir(settings.WalDirectory);
        }

        // DbOptions has no setters for these; the package's C API functions do.
        Rocks.rocksdb_options_set_max_background_jobs(options.Handle, settings.MaxBackgroundJobs);
        Rocks.rocksdb_options_set_wal_bytes_per_sync(options.Handle, (ulong)settings.WalBytesPerSync);

        // Chunks are overwritten in place, so blob files need garbage collection to give back
        // the space of overwritten values.
        var blobFiles = settings.EnableBlobFiles ? (byte)1 : (byte)0;
        Rocks.rocksdb_options_set_enable_blob_files(options.Handle, blobFiles);
        Rocks.rocksdb_options_set_enable_blob_gc(options.Handle, blobFiles);
        Rocks.rocksdb_options_set_min_blob_size(options.Handle, (ulong)settings.MinBlobSize);
        return options;
    }
}
