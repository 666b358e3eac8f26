using IscsiCluster.Scsi.Sense;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>What the SBC handlers of one disk share: the device, its limits in blocks, and its mode parameters.</summary>
internal sealed class Disk
{
    public Disk(IBlockDevice device, DiskOptions options)
    {
        Device = device;
        Options = options;
        var blockSize = device.BlockSize;
        if (blockSize <= 0 || device.BlockCount < 0)
        {
            throw new ArgumentException("The block device reports a non-positive block size or a negative block count.", nameof(device));
        }

        MaximumTransferBlocks = Blocks(options.MaximumTransferBytes, blockSize, nameof(options.MaximumTransferBytes));
        OptimalTransferBlocks = Blocks(options.OptimalTransferBytes, blockSize, nameof(options.OptimalTransferBytes));
        MaximumUnmapBlocks = Blocks(options.MaximumUnmapBytes, blockSize, nameof(options.MaximumUnmapBytes));
        MaximumWriteSameBlocks = Blocks(options.MaximumWriteSameBytes, blockSize, nameof(options.MaximumWriteSameBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaximumUnmapDescriptors, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaximumCompareAndWriteBlocks, (byte)1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.LogicalBlocksPerPhysicalBlockExponent, (byte)15, nameof(options));
        Mode = new ModePages(options.WriteCacheEnabled);
    }

    public IBlockDevice Device { get; }

    public DiskOptions Options { get; }

    public ModePages Mode { get; }

    public int BlockSize => Device.BlockSize;

    /// <summary>The capacity now (it is read on every command, so a resized device is seen at once).</summary>
    public ulong BlockCount => (ulong)Device.BlockCount;

    public uint MaximumTransferBlocks { get; }

    public uint OptimalTransferBlocks { get; }

    public uint MaximumUnmapBlocks { get; }

    public uint MaximumWriteSameBlocks { get; }

    /// <summary>
    /// SBC-3 4.5: every block of [lba, lba + blocks) must exist, else LOGICAL BLOCK ADDRESS
    /// OUT OF RANGE (checked without overflow, so a huge LBA cannot wrap around).
    /// </summary>
    public bool TryCheckRange(ulong lba, ulong blocks, out SenseProblem problem)
    {
        var capacity = BlockCount;
        if (blocks > capacity || lba > capacity - blocks)
        {
            problem = SenseReason.LbaOutOfRange;
            return false;
        }

        problem = default;
        return true;
    }

    private static uint Blocks(long bytes, int blockSize, string name)
    {
        if (bytes <= 0 || bytes % blockSize != 0)
        {
            throw new ArgumentException($"{name} ({bytes}) must be a positive multiple of the block size ({blockSize}).", name);
        }

        return (uint)Math.Min(bytes / blockSize, uint.MaxValue);
    }
}
