namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>Owns a <c>rocksdb_options_t*</c>, freed with <c>rocksdb_options_destroy</c>.</summary>
internal sealed class OptionsHandle : NativeHandle
{
    private OptionsHandle(nint options)
        : base(options, nameof(NativeMethods.rocksdb_options_create))
    {
    }

    public static OptionsHandle Create() => new(NativeMethods.rocksdb_options_create());

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_options_destroy(handle);
        return true;
    }
}
