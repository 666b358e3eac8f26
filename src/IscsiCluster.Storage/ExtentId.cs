namespace IscsiCluster.Storage;

/// <summary>
/// An extent: <see cref="VolumeLayout.ChunksPerExtent"/> consecutive chunks of one volume, whose
/// keys are one contiguous range. Nothing is replicated per extent yet; the name is fixed now so
/// the replication layer can address them.
/// </summary>
public readonly record struct ExtentId(ulong VolumeId, long Index);
