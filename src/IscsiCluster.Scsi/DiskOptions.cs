namespace IscsiCluster.Scsi;

/// <summary>
/// Tunables of a <see cref="DiskUnit"/>, reported in the block limits VPD page
/// (SBC-3 6.6.4) and enforced by the commands. Sizes are in bytes and must be whole
/// numbers of logical blocks.
/// </summary>
public sealed record DiskOptions
{
    /// <summary>Largest READ/WRITE/VERIFY transfer (MAXIMUM TRANSFER LENGTH); larger requests are INVALID FIELD IN CDB.</summary>
    public int MaximumTransferBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>OPTIMAL TRANSFER LENGTH.</summary>
    public int OptimalTransferBytes { get; init; } = 1024 * 1024;

    /// <summary>MAXIMUM UNMAP LBA COUNT, in bytes (one UNMAP command).</summary>
    public long MaximumUnmapBytes { get; init; } = 256L << 20;

    /// <summary>MAXIMUM UNMAP BLOCK DESCRIPTOR COUNT.</summary>
    public int MaximumUnmapDescriptors { get; init; } = 256;

    /// <summary>
    /// MAXIMUM WRITE SAME LENGTH, in bytes (with or without UNMAP). It bounds how many blocks
    /// one command rewrites while the LUN actor serves nothing else.
    /// </summary>
    public long MaximumWriteSameBytes { get; init; } = 16L << 20;

    /// <summary>MAXIMUM COMPARE AND WRITE LENGTH, in logical blocks (1..255).</summary>
    public byte MaximumCompareAndWriteBlocks { get; init; } = 1;

    /// <summary>LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT of READ CAPACITY(16) (0..15).</summary>
    public byte LogicalBlocksPerPhysicalBlockExponent { get; init; }

    /// <summary>The default (and power-on) WCE bit of the caching mode page.</summary>
    public bool WriteCacheEnabled { get; init; } = true;
}
