using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Owner;

/// <summary>
/// A write the host asks the owner to replicate: one log entry, applied atomically. <see cref="Tag"/> is the host's own
/// identifier (its command), returned in the completion.
/// </summary>
/// <param name="Fua">Complete only once a majority has synced it (FUA).</param>
public sealed record WriteRequest(long Tag, IReadOnlyList<WriteRange> Ranges, bool Fua = false);
