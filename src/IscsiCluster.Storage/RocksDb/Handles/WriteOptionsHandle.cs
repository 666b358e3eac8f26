namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>Owns a <c>rocksdb_writeoptions_t*</c>, freed with <c>rocksdb_writeoptions_destroy</c>.</summary>
internal sealed class WriteOptionsHandle : NativeHandle
{
    private WriteOptionsHandle(nint writeOptions)
        : base(writeOptions, nameof(NativeMethods.rocksdb_writeoptions_create))
    {
    }

    /// <summary>Write options that fsync the WAL before a write returns when <paramref name="sync"/> is set.</summary>
    public static WriteOptionsHandle Create(bool sync)
    {
        var options = new WriteOptionsHandle(NativeMethods.rocksdb_writeoptions_create());
        NativeMethods.rocksdb_writeoptions_set_sync(options.handle, sync ? (byte)1 : (byte)0);
        return options;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_writeoptions_destroy(handle);
        return true;
    }
}
