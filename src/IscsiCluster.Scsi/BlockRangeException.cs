namespace IscsiCluster.Scsi;

/// <summary>
/// Thrown by an <see cref="IBlockDevice"/> for blocks outside its medium: the unit checks every range against
/// <see cref="IBlockDevice.BlockCount"/> first, but a medium whose size is followed from elsewhere (a replicated LUN being
/// resized) can be smaller than the unit saw. The command ends alone with LOGICAL BLOCK ADDRESS OUT OF RANGE.
/// </summary>
public sealed class BlockRangeException(long lba, long blockCount, long mediumBlocks)
    : Exception($"blocks [{lba}, {lba} + {blockCount}) are outside the medium of {mediumBlocks} blocks")
{
    public long Lba { get; } = lba;

    public long BlockCount { get; } = blockCount;
}
