namespace IscsiCluster.Admin.Contracts.Model;

/// <summary>One disk logical unit of a target (tgt's logicalunit mode). LUN 0, the controller, is implicit.</summary>
/// <param name="Lun">The logical unit number, 1 or more.</param>
/// <param name="SizeBytes">The capacity, a multiple of <paramref name="BlockSize"/>.</param>
/// <param name="BlockSize">The logical block length in bytes (512, 1024, 2048 or 4096).</param>
/// <param name="BackingStoreDescription">What show prints as "Backing store path": the imported path, or <see cref="ThinDescription"/>.</param>
/// <param name="BsType">What show prints as "Backing store type": always <see cref="StoreBsType"/>, where the blocks live.</param>
/// <param name="Source">Whether the LUN was created thin or imported.</param>
/// <param name="VolumeId">The cluster-wide volume id of the blocks, filled by the node once the volume exists.</param>
/// <param name="VendorId">INQUIRY vendor identification override (SPC-4 6.6.2, 8 ASCII characters at most), or null for the default.</param>
/// <param name="ProductId">INQUIRY product identification override (16 ASCII characters at most), or null.</param>
/// <param name="ProductRevision">INQUIRY product revision level override (4 ASCII characters at most), or null.</param>
public sealed record LunDefinition(
    ulong Lun,
    long SizeBytes,
    int BlockSize,
    string BackingStoreDescription,
    string BsType,
    LunSource Source,
    ulong? VolumeId = null,
    string? VendorId = null,
    string? ProductId = null,
    string? ProductRevision = null)
{
    /// <summary>The backing store type of every LUN: its blocks live in the node's RocksDB store.</summary>
    public const string StoreBsType = "rocksdb";

    /// <summary>The backing store description of a LUN created empty.</summary>
    public const string ThinDescription = "rocksdb:thin";

    /// <summary>The block length used when none is given, as tgt does.</summary>
    public const int DefaultBlockSize = 512;
}
