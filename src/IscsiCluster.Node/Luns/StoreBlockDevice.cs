using IscsiCluster.Scsi;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// A LUN's blocks in the node's RocksDB store: adapts the byte-addressed volume of the
/// block store to the block-addressed device the SCSI layer uses.
/// </summary>
public sealed class StoreBlockDevice(BlockStore store, ulong volumeId, int blockSize, long blockCount) : IBlockDevice
{
    public int BlockSize => blockSize;

    public long BlockCount => blockCount;

    public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        store.Read(volumeId, lba * blockSize, destination.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
    {
        store.Write(volumeId, lba * blockSize, source.Span, forceUnitAccess);
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        store.Flush();
        return ValueTask.CompletedTask;
    }

    public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default)
    {
        store.Unmap(volumeId, lba * blockSize, blockCount * blockSize);
        return ValueTask.CompletedTask;
    }
}
