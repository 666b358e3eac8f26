namespace IscsiCluster.Replication.Log;

/// <summary>
/// The last log index that changed an extent (a fixed-size slice of the LUN). When the tail no longer reaches back to where a
/// replica left off, the extents whose version is newer than what that replica is known to share are the ones to copy.
/// </summary>
public readonly record struct ExtentVersion(long Extent, long Version);
