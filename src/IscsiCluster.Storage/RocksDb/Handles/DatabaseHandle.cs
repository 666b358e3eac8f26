using System.Runtime.InteropServices;

namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>
/// Owns a <c>rocksdb_t*</c>, closed with <c>rocksdb_close</c>. Companion objects the database
/// uses on every call (its default read and write options) are kept alive until after the close.
/// </summary>
internal sealed class DatabaseHandle : NativeHandle
{
    private readonly List<SafeHandle> _companions = [];

    public DatabaseHandle(nint db)
        : base(db, "rocksdb_open")
    {
    }

    /// <summary>Holds a reference on <paramref name="companion"/> until this database is closed.</summary>
    public void KeepAlive(SafeHandle companion)
    {
        var added = false;
        companion.DangerousAddRef(ref added);
        _companions.Add(companion);
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_close(handle);
        foreach (var companion in _companions)
        {
            companion.DangerousRelease();
        }

        return true;
    }
}
