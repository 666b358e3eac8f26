using IscsiCluster.Scsi;
using IscsiCluster.Storage;

namespace IscsiCluster.Benchmarks;

/// <summary>The blocks of one volume of a block store as a SCSI device, for measuring the SCSI layer over the store alone.</summary>
internal sealed class StoreDevice(BlockStore store, ulong volumeId, int blockSize) : IBlockDevice
{
    public int BlockSize => blockSize;

    public long BlockCount => store.TryGetVolume(volumeId, out var volume) ? volume.SizeBytes / blockSize : 0;

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
