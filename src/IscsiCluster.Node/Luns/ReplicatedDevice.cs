using IscsiCluster.Cluster.Replication;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Scsi;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// A LUN's blocks as its owner sees them: reads come from the owner's own replica in the node's store, checked against the
/// owner's read window before and after (a read that straddles the end of the lease is not answered), and writes, unmaps
/// and flushes go through the replication protocol, completing once a majority has them.
/// </summary>
public sealed class ReplicatedDevice(BlockStore store, ulong volumeId, int blockSize, Func<ReplicatedVolume> volume) : IBlockDevice
{
    /// <summary>The longest read served on the caller's thread (see <see cref="StoreBlockDevice.InlineReadLimit"/>).</summary>
    public const int InlineReadLimit = 16 * 1024;

    public int BlockSize => blockSize;

    /// <summary>Follows the volume's record, which a resize replaces in one step (the unit then raises CAPACITY DATA HAS CHANGED).</summary>
    public long BlockCount => store.TryGetVolume(volumeId, out var record) ? ReplicatedLayout.LunBytes(record.SizeBytes) / blockSize : 0;

    public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        EnsureReadable();
        var offset = ReplicatedLayout.DataOffset + lba * blockSize;
        if (destination.Length <= InlineReadLimit)
        {
            store.Read(volumeId, offset, destination.Span);
            EnsureReadable();
            return ValueTask.CompletedTask;
        }

        return new ValueTask(Task.Run(
            () =>
            {
                store.Read(volumeId, offset, destination.Span);
                EnsureReadable();
            },
            cancellationToken));
    }

    public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default) =>
        new(volume().Write(ReplicatedLayout.DataOffset + lba * blockSize, source.Span, forceUnitAccess));

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => new(volume().Flush());

    public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default) =>
        new(volume().Zero(ReplicatedLayout.DataOffset + lba * blockSize, blockCount * blockSize, fua: false));

    /// <summary>REPLICATION.md "Reading, and why a lease": only a read that began and ended inside the lease is answered.</summary>
    private void EnsureReadable()
    {
        if (!volume().ReadableAt(MonotonicClock.Now))
        {
            throw new ReplicationUnavailableException(CompletionStatus.NotServing);
        }
    }
}
