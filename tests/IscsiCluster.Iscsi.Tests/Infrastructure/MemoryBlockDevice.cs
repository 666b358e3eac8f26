using IscsiCluster.Scsi;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>A RAM disk for tests.</summary>
internal sealed class MemoryBlockDevice(int blockSize, long blockCount) : IBlockDevice
{
    private readonly byte[] _bytes = new byte[blockSize * blockCount];

    public int BlockSize { get; } = blockSize;

    public long BlockCount { get; } = blockCount;

    public ReadOnlySpan<byte> Contents => _bytes;

    /// <summary>The bytes from <paramref name="offset"/> on, for a test to fill.</summary>
    public Span<byte> WritableContents(int offset) => _bytes.AsSpan(offset);

    public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        _bytes.AsSpan((int)(lba * BlockSize), destination.Length).CopyTo(destination.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
    {
        source.Span.CopyTo(_bytes.AsSpan((int)(lba * BlockSize)));
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

    public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default)
    {
        _bytes.AsSpan((int)(lba * BlockSize), (int)(blockCount * BlockSize)).Clear();
        return ValueTask.CompletedTask;
    }
}
