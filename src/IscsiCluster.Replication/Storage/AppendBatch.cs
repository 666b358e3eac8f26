using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// One atomic store write of a replica: the data of <see cref="Entries"/> applied in order, their metadata added to the tail,
/// tail metadata below <see cref="TailStart"/> dropped, <see cref="ExtentVersions"/> recorded, and the new <see cref="Last"/>
/// and <see cref="Committed"/> recorded. Several entries in one batch are the host's group commit. A batch without entries
/// only records a new committed index.
/// </summary>
/// <param name="TailStart">The first entry the tail keeps; the tail never holds more than the replica's tail length.</param>
/// <param name="ExtentVersions">
/// Versions to record: those of extents last changed by an entry that leaves the tail with this write. The tail's entries
/// give every later version, so the store need not record them: the replica merges both when it starts.
/// </param>
/// <param name="Sync">Sync before returning (FUA); otherwise the write must still survive a process crash.</param>
public sealed record AppendBatch(
    IReadOnlyList<LogEntry> Entries,
    LogPosition Last,
    long Committed,
    long TailStart,
    IReadOnlyList<ExtentVersion> ExtentVersions,
    bool Sync);
