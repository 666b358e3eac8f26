using System.Runtime.InteropServices;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// P/Invoke declarations for the parts of RocksDB's C API (/usr/include/rocksdb/c.h, 7.8) this
/// binding uses. Pointers to native objects are plain <see cref="nint"/>s here: ownership and
/// lifetime belong to the <see cref="System.Runtime.InteropServices.SafeHandle"/> subclasses in
/// <c>Handles/</c>, which lease the pointer for the duration of each call.
/// Errors come back through <c>char** errptr</c>: RocksDB leaves it untouched on success and stores
/// a malloc()-ed message on failure, so callers pass the address of a zeroed <see cref="nint"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Library = "librocksdb.so.7.8";

    // --- Database ---------------------------------------------------------------------------

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_open(nint options, string name, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_close(nint db);

    [LibraryImport(Library)]
    internal static partial void rocksdb_put(nint db, nint writeOptions, byte* key, nuint keyLength, byte* value, nuint valueLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_delete(nint db, nint writeOptions, byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_write(nint db, nint writeOptions, nint batch, nint* errptr);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_get_pinned(nint db, nint readOptions, byte* key, nuint keyLength, nint* errptr);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_pinnableslice_value(nint slice, nuint* valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_pinnableslice_destroy(nint slice);

    [LibraryImport(Library)]
    internal static partial void rocksdb_flush_wal(nint db, byte sync, nint* errptr);

    [LibraryImport(Library)]
    internal static partial void rocksdb_compact_range(nint db, byte* startKey, nuint startKeyLength, byte* limitKey, nuint limitKeyLength);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint rocksdb_property_value(nint db, string propertyName);

    [LibraryImport(Library)]
    internal static partial void rocksdb_free(nint pointer);

    // --- Options ----------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial nint rocksdb_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_destroy(nint options);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_create_if_missing(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_optimize_level_style_compaction(nint options, ulong memtableMemoryBudget);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_write_buffer_size(nint options, nuint bytes);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_write_buffer_number(nint options, int count);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_background_jobs(nint options, int jobs);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_compression(nint options, int compressionType);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_compression_per_level(nint options, int* levelValues, nuint levelCount);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_enable_blob_files(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_enable_blob_gc(nint options, byte value);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_min_blob_size(nint options, ulong bytes);

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial void rocksdb_options_set_wal_dir(nint options, string directory);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_total_wal_size(nint options, ulong bytes);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_wal_bytes_per_sync(nint options, ulong bytes);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_keep_log_file_num(nint options, nuint count);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_max_log_file_size(nint options, nuint bytes);

    [LibraryImport(Library)]
    internal static partial void rocksdb_options_set_block_based_table_factory(nint options, nint tableOptions);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_block_based_options_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_destroy(nint tableOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_block_size(nint tableOptions, nuint bytes);

    /// <summary>c.h takes a char: the values of rocksdb::ChecksumType.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_checksum(nint tableOptions, byte checksumType);

    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_block_cache(nint tableOptions, nint cache);

    /// <summary>Takes ownership of <paramref name="filterPolicy"/>: c.cc stores it in the table options' shared_ptr.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_block_based_options_set_filter_policy(nint tableOptions, nint filterPolicy);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_filterpolicy_create_bloom_full(double bitsPerKey);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_cache_create_lru(nuint capacity);

    [LibraryImport(Library)]
    internal static partial void rocksdb_cache_destroy(nint cache);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_readoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_destroy(nint readOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_fill_cache(nint readOptions, byte fillCache);

    /// <summary>Keeps a pointer to <paramref name="key"/>, not a copy: the bytes must outlive every iterator.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_upper_bound(nint readOptions, byte* key, nuint keyLength);

    /// <summary>Keeps a pointer to <paramref name="key"/>, not a copy: the bytes must outlive every iterator.</summary>
    [LibraryImport(Library)]
    internal static partial void rocksdb_readoptions_set_iterate_lower_bound(nint readOptions, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writeoptions_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_destroy(nint writeOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writeoptions_set_sync(nint writeOptions, byte sync);

    // --- Write batch ------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial nint rocksdb_writebatch_create();

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_destroy(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_clear(nint batch);

    [LibraryImport(Library)]
    internal static partial int rocksdb_writebatch_count(nint batch);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_put(nint batch, byte* key, nuint keyLength, byte* value, nuint valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_delete(nint batch, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_writebatch_delete_range(nint batch, byte* startKey, nuint startKeyLength, byte* endKey, nuint endKeyLength);

    // --- Iterator ---------------------------------------------------------------------------

    [LibraryImport(Library)]
    internal static partial nint rocksdb_create_iterator(nint db, nint readOptions);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_destroy(nint iterator);

    [LibraryImport(Library)]
    internal static partial byte rocksdb_iter_valid(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek_to_first(nint iterator);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_seek(nint iterator, byte* key, nuint keyLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_next(nint iterator);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_iter_key(nint iterator, nuint* keyLength);

    [LibraryImport(Library)]
    internal static partial byte* rocksdb_iter_value(nint iterator, nuint* valueLength);

    [LibraryImport(Library)]
    internal static partial void rocksdb_iter_get_error(nint iterator, nint* errptr);
}
