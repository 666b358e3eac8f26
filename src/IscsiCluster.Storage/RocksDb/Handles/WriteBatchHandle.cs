namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>Owns a <c>rocksdb_writebatch_t*</c>, freed with <c>rocksdb_writebatch_destroy</c>.</summary>
internal sealed class WriteBatchHandle : NativeHandle
{
    private WriteBatchHandle(nint batch)
        : base(batch, nameof(NativeMethods.rocksdb_writebatch_create))
    {
    }

    public static WriteBatchHandle Create() => new(NativeMethods.rocksdb_writebatch_create());

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_writebatch_destroy(handle);
        return true;
    }
}
