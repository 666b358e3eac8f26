using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// One atomic store write ending a catch-up: the blocks staged for <see cref="Session"/> and <see cref="Blocks"/> written, the
/// tail replaced by <see cref="Tail"/> (contiguous, ending at <see cref="Last"/>), <see cref="ExtentVersions"/> recorded (at
/// least every version the replaced tail described), and the log made to end at <see cref="Last"/>
/// (REPLICATION.md "Catching up": a replica installs catch-up contents and its new position together, or not at all).
/// </summary>
public sealed record CatchUpInstall(
    long Session,
    IReadOnlyList<WriteRange> Blocks,
    LogPosition Last,
    long Committed,
    IReadOnlyList<EntryMetadata> Tail,
    IReadOnlyList<ExtentVersion> ExtentVersions,
    bool Sync);
