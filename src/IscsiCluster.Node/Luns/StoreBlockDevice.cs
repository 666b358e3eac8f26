using IscsiCluster.Scsi;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// A LUN's blocks in the node's RocksDB store: adapts the byte-addressed volume of the
/// block store to the block-addressed device the SCSI layer uses. With a
/// <see cref="GroupCommit"/>, writes are staged there and committed in groups, and every other
/// operation commits what is staged first, so it sees those writes.
/// </summary>
public sealed class StoreBlockDevice(BlockStore store, ulong volumeId, int blockSize, GroupCommit? groupCommit = null) : IBlockDevice
{
    /// <summary>The longest read served on the caller's thread.</summary>
    public const int InlineReadLimit = 16 * 1024;

    public int BlockSize => blockSize;

    /// <summary>
    /// The volume's current size in blocks, read from the store's in-memory volume record on every
    /// call: an online resize swaps that record in one step, so the LUN actor sees the new size on
    /// its next command and the SCSI layer raises CAPACITY DATA HAS CHANGED (SBC-3 4.6). A new
    /// device by message would need a new DiskUnit, which forgets the nexuses owed that attention.
    /// </summary>
    public long BlockCount => store.TryGetVolume(volumeId, out var volume) ? volume.SizeBytes / blockSize : 0;

    /// <summary>
    /// A read of up to <see cref="InlineReadLimit"/> bytes runs on the caller's thread: a point
    /// lookup costs a few microseconds, less than a hand-over to another thread. A longer one (a
    /// scan costing tens of microseconds) runs on the thread pool, so the LUN actor can start the
    /// next command meanwhile and one LUN's large reads use every core.
    /// </summary>
    public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        groupCommit?.Commit();
        if (destination.Length <= InlineReadLimit)
        {
            store.Read(volumeId, lba * blockSize, destination.Span);
            return ValueTask.CompletedTask;
        }

        return new ValueTask(Task.Run(() => store.Read(volumeId, lba * blockSize, destination.Span), cancellationToken));
    }

    public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
    {
        if (groupCommit is not null)
        {
            return groupCommit.Write(lba * blockSize, source, forceUnitAccess);
        }

        store.Write(volumeId, lba * blockSize, source.Span, forceUnitAccess);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        groupCommit?.Commit();
        store.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default)
    {
        groupCommit?.Commit();
        store.Unmap(volumeId, lba * blockSize, blockCount * blockSize);
        return ValueTask.CompletedTask;
    }
}
