using IscsiCluster.Scsi;

namespace IscsiCluster.Scsi.Tests.Support;

/// <summary>An in-memory <see cref="IBlockDevice"/> that records what the SCSI layer asked of it.</summary>
internal sealed class MemoryBlockDevice(int blockSize, long blockCount) : IBlockDevice
{
    private readonly byte[] _data = new byte[blockSize * blockCount];

    public int BlockSize { get; } = blockSize;

    public long BlockCount { get; set; } = blockCount;

    public int FlushCount { get; private set; }

    public List<(long Lba, int Blocks, bool ForceUnitAccess)> Writes { get; } = [];

    public List<(long Lba, long Blocks)> Unmaps { get; } = [];

    /// <summary>Every write, flush and unmap, in the order the SCSI layer called them.</summary>
    public List<string> Calls { get; } = [];

    /// <summary>When set, every operation throws this.</summary>
    public Exception? Failure { get; set; }

    public Span<byte> Block(long lba) => Blocks(lba, 1);

    public Span<byte> Blocks(long lba, int count) => _data.AsSpan((int)(lba * BlockSize), count * BlockSize);

    public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        CheckRange(lba, destination.Length);
        _data.AsSpan((int)(lba * BlockSize), destination.Length).CopyTo(destination.Span);
        return ValueTask.CompletedTask;
    }

    public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        CheckRange(lba, source.Length);
        source.Span.CopyTo(_data.AsSpan((int)(lba * BlockSize)));
        Writes.Add((lba, source.Length / BlockSize, forceUnitAccess));
        Calls.Add(forceUnitAccess ? "write+fua" : "write");
        return ValueTask.CompletedTask;
    }

    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        FlushCount++;
        Calls.Add("flush");
        return ValueTask.CompletedTask;
    }

    public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default)
    {
        ThrowIfFailing();
        CheckRange(lba, blockCount * BlockSize);
        _data.AsSpan((int)(lba * BlockSize), (int)(blockCount * BlockSize)).Clear();
        Unmaps.Add((lba, blockCount));
        Calls.Add("unmap");
        return ValueTask.CompletedTask;
    }

    private void ThrowIfFailing()
    {
        if (Failure is not null)
        {
            throw Failure;
        }
    }

    private void CheckRange(long lba, long bytes)
    {
        if (bytes % BlockSize != 0 || lba < 0 || (lba * BlockSize) + bytes > _data.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(lba), "The SCSI layer passed an out-of-range request to the device.");
        }
    }
}
