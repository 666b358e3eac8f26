using IscsiCluster.Storage.RocksDb.Handles;

namespace IscsiCluster.Storage.RocksDb;

public sealed unsafe partial class RocksDatabase
{
    // c.h compression enum: rocksdb_no_compression.
    private const int NoCompression = 0;

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

        // The database copies what it needs from these at open time (the table factory holds the
        // cache through a shared_ptr), so they are freed when Open returns. Nothing else can see
        // them, so their pointers are used without leases.
        using var nativeOptions = OptionsHandle.Create();
        using var tableOptions = BlockBasedTableOptionsHandle.Create();
        using var cache = CacheHandle.CreateLru(options.BlockCacheSize);
        Configure(nativeOptions.DangerousGetHandle(), tableOptions.DangerousGetHandle(), cache.DangerousGetHandle(), options);

        nint error = 0;
        var db = NativeMethods.rocksdb_open(nativeOptions.DangerousGetHandle(), path, &error);
        NativeError.ThrowIfSet(error);
        return new RocksDatabase(new DatabaseHandle(db), path);
    }

    private static void Configure(nint options, nint tableOptions, nint cache, RocksDbOptions settings)
    {
        if (settings.LevelStyleCompactionMemtableBudget > 0)
        {
            NativeMethods.rocksdb_options_optimize_level_style_compaction(options, (ulong)settings.LevelStyleCompactionMemtableBudget);
        }

        NativeMethods.rocksdb_block_based_options_set_block_cache(tableOptions, cache);
        NativeMethods.rocksdb_block_based_options_set_block_size(tableOptions, (nuint)settings.TableBlockSize);
        if (settings.BloomFilterBitsPerKey > 0)
        {
            // Ownership of the policy passes to the table options.
            NativeMethods.rocksdb_block_based_options_set_filter_policy(
                tableOptions, NativeMethods.rocksdb_filterpolicy_create_bloom_full(settings.BloomFilterBitsPerKey));
        }

        NativeMethods.rocksdb_block_based_options_set_checksum(tableOptions, (byte)settings.BlockChecksum);
        NativeMethods.rocksdb_options_set_block_based_table_factory(options, tableOptions);
        NativeMethods.rocksdb_options_set_create_if_missing(options, settings.CreateIfMissing ? (byte)1 : (byte)0);
        NativeMethods.rocksdb_options_set_write_buffer_size(options, (nuint)settings.WriteBufferSize);
        NativeMethods.rocksdb_options_set_max_write_buffer_number(options, settings.MaxWriteBufferNumber);
        NativeMethods.rocksdb_options_set_max_background_jobs(options, settings.MaxBackgroundJobs);

        // optimize_level_style_compaction sets per-level compression; an empty list makes the
        // single setting below apply to every level.
        NativeMethods.rocksdb_options_set_compression_per_level(options, null, 0);
        NativeMethods.rocksdb_options_set_compression(options, NoCompression);

        // Chunks are overwritten in place, so blob files need garbage collection to give back
        // the space of overwritten values.
        var blobFiles = settings.EnableBlobFiles ? (byte)1 : (byte)0;
        NativeMethods.rocksdb_options_set_enable_blob_files(options, blobFiles);
        NativeMethods.rocksdb_options_set_enable_blob_gc(options, blobFiles);
        NativeMethods.rocksdb_options_set_min_blob_size(options, (ulong)settings.MinBlobSize);

        if (!string.IsNullOrEmpty(settings.WalDirectory))
        {
            NativeMethods.rocksdb_options_set_wal_dir(options, settings.WalDirectory);
        }

        NativeMethods.rocksdb_options_set_max_total_wal_size(options, (ulong)settings.MaxTotalWalSize);
        NativeMethods.rocksdb_options_set_wal_bytes_per_sync(options, (ulong)settings.WalBytesPerSync);
        NativeMethods.rocksdb_options_set_keep_log_file_num(options, (nuint)settings.KeepInfoLogFiles);
        NativeMethods.rocksdb_options_set_max_log_file_size(options, (nuint)settings.MaxInfoLogFileSize);
    }
}
