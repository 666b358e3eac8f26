namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>
/// Owns a <c>rocksdb_block_based_table_options_t*</c>, freed with
/// <c>rocksdb_block_based_options_destroy</c>. A filter policy handed to it becomes its property
/// (c.cc resets a shared_ptr with it), so filter policies have no handle of their own.
/// </summary>
internal sealed class BlockBasedTableOptionsHandle : NativeHandle
{
    private BlockBasedTableOptionsHandle(nint tableOptions)
        : base(tableOptions, nameof(NativeMethods.rocksdb_block_based_options_create))
    {
    }

    public static BlockBasedTableOptionsHandle Create() => new(NativeMethods.rocksdb_block_based_options_create());

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_block_based_options_destroy(handle);
        return true;
    }
}
