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

    /// <summary>
    /// Stages the write with the others the actor is gathering (group commit). Its range is checked first, against the
    /// owner's address space: one outside it (the volume's record grew before this owner took the new size) is refused
    /// alone, before it joins the group, so the writes beside it still commit.
    /// </summary>
    public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
    {
        var replicated = volume();
        CheckInside(replicated, lba, source.Length / blockSize);
        return new(replicated.Write(ReplicatedLayout.DataOffset + lba * blockSize, source.Span, forceUnitAccess));
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => new(volume().Flush());

    public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default)
    {
        var replicated = volume();
        CheckInside(replicated, lba, blockCount);
        return new(replicated.Zero(ReplicatedLayout.DataOffset + lba * blockSize, blockCount * blockSize, fua: false));
    }

    private void CheckInside(ReplicatedVolume replicated, long lba, long blocks)
    {
        var mediumBlocks = ReplicatedLayout.LunBytes(replicated.SizeBytes) / blockSize;
        if (lba < 0 || blocks < 0 || lba > mediumBlocks - blocks)
        {
            throw new BlockRangeException(lba, blocks, mediumBlocks);
        }
    }

    /// <summary>REPLICATION.md "Reading, and why a lease": only a read that began and ended inside the lease is answered.</summary>
    private void EnsureReadable()
    {
        if (!volume().ReadableAt(MonotonicClock.Now))
        {
            throw new ReplicationUnavailableException(CompletionStatus.NotServing);
        }
    }
}
