using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// One atomic store write of a replica: the data of <see cref="Entries"/> applied in order, their metadata added to the tail,
/// tail metadata below <see cref="TailStart"/> dropped, <see cref="ExtentVersions"/> set, and the new <see cref="Last"/> and
/// <see cref="Committed"/> recorded. Several entries in one batch are the host's group commit. A batch without entries only
/// records a new committed index.
/// </summary>
/// <param name="Sync">Sync before returning (FUA); otherwise the write must still survive a process crash.</param>
public sealed record AppendBatch(
    IReadOnlyList<LogEntry> Entries,
    LogPosition Last,
    long Committed,
    long TailStart,
    IReadOnlyList<ExtentVersion> ExtentVersions,
    bool Sync);
