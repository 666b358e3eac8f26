using IscsiCluster.Storage.RocksDb.Handles;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// Operations applied atomically by <see cref="RocksDatabase.Write"/>. The batch copies keys and
/// values when they are added. Not thread-safe: one writer fills it at a time; it can be
/// <see cref="Clear"/>ed and reused.
/// </summary>
public sealed unsafe class WriteBatch : IDisposable
{
    public WriteBatch()
    {
        Handle = WriteBatchHandle.Create();
    }

    /// <summary>Number of operations added since creation or the last <see cref="Clear"/>.</summary>
    public int Count
    {
        get
        {
            using var batch = Handle.Lease();
            return NativeMethods.rocksdb_writebatch_count(batch.Pointer);
        }
    }

    internal WriteBatchHandle Handle { get; }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        using var batch = Handle.Lease();
        fixed (byte* k = key)
        fixed (byte* v = value)
        {
            NativeMethods.rocksdb_writebatch_put(batch.Pointer, k, (nuint)key.Length, v, (nuint)value.Length);
        }
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        using var batch = Handle.Lease();
        fixed (byte* k = key)
        {
            NativeMethods.rocksdb_writebatch_delete(batch.Pointer, k, (nuint)key.Length);
        }
    }

    /// <summary>Removes every key in [<paramref name="startKey"/>, <paramref name="endKey"/>).</summary>
    public void DeleteRange(ReadOnlySpan<byte> startKey, ReadOnlySpan<byte> endKey)
    {
        using var batch = Handle.Lease();
        fixed (byte* start = startKey)
        fixed (byte* end = endKey)
        {
            NativeMethods.rocksdb_writebatch_delete_range(batch.Pointer, start, (nuint)startKey.Length, end, (nuint)endKey.Length);
        }
    }

    public void Clear()
    {
        using var batch = Handle.Lease();
        NativeMethods.rocksdb_writebatch_clear(batch.Pointer);
    }

    public void Dispose() => Handle.Dispose();
}
