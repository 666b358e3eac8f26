namespace IscsiCluster.Storage;

/// <summary>
/// A read-only view of the whole store as it was when the snapshot was taken: later writes are invisible to it. A
/// replica that serves a catch-up reads every block it ships from one, so the receiver installs one moment's contents.
/// Dispose it promptly: RocksDB keeps every version the snapshot can see.
/// </summary>
public sealed class StoreSnapshot : IDisposable
{
    private readonly BlockStore _store;
    private nint _handle;

    internal StoreSnapshot(BlockStore store, nint handle)
    {
        _store = store;
        _handle = handle;
    }

    /// <summary>Reads <c>destination.Length</c> bytes at <paramref name="offset"/> of a volume as of the snapshot; unwritten bytes read as zeros.</summary>
    public void Read(ulong volumeId, long offset, Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_handle == 0, this);
        _store.ReadAt(_handle, volumeId, offset, destination);
    }

    public void Dispose()
    {
        var handle = Interlocked.Exchange(ref _handle, 0);
        if (handle != 0)
        {
            _store.ReleaseSnapshot(handle);
        }
    }
}
