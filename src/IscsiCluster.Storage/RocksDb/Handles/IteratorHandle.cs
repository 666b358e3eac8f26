namespace IscsiCluster.Storage.RocksDb.Handles;

/// <summary>
/// Owns a <c>rocksdb_iterator_t*</c>, freed with <c>rocksdb_iter_destroy</c>. It holds references
/// on its database and read options, so the database is closed (and the bounds freed) only after
/// the iterator has been destroyed, whatever order the owners dispose in.
/// </summary>
internal sealed class IteratorHandle : NativeHandle
{
    private readonly DatabaseHandle _database;
    private readonly ReadOptionsHandle _readOptions;

    private IteratorHandle(nint iterator, DatabaseHandle database, ReadOptionsHandle readOptions)
        : base(iterator, nameof(NativeMethods.rocksdb_create_iterator))
    {
        _database = database;
        _readOptions = readOptions;
    }

    /// <summary>Creates an iterator; the references it takes on both owners are released when it is freed.</summary>
    public static IteratorHandle Create(DatabaseHandle database, ReadOptionsHandle readOptions)
    {
        var databaseAdded = false;
        var optionsAdded = false;
        try
        {
            database.DangerousAddRef(ref databaseAdded);
            readOptions.DangerousAddRef(ref optionsAdded);
            var iterator = NativeMethods.rocksdb_create_iterator(database.DangerousGetHandle(), readOptions.DangerousGetHandle());
            return new IteratorHandle(iterator, database, readOptions);
        }
        catch
        {
            if (optionsAdded)
            {
                readOptions.DangerousRelease();
            }

            if (databaseAdded)
            {
                database.DangerousRelease();
            }

            throw;
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.rocksdb_iter_destroy(handle);
        _readOptions.DangerousRelease();
        _database.DangerousRelease();
        return true;
    }
}
