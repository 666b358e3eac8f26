using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Replica to owner: the end of its log, from which the catch-up source finds the last point they share (REPLICATION.md
/// "Catching up"). <see cref="Tail"/> holds the metadata of its entries after <see cref="Committed"/> that it still has;
/// <see cref="ModifiedExtents"/> the extents its own entries after <see cref="Committed"/> changed, for when the tail does not
/// reach back.
/// </summary>
public sealed record LogDescription(
    long Epoch, long Session, LogPosition Last, long Committed, IReadOnlyList<EntryMetadata> Tail, IReadOnlyList<long> ModifiedExtents)
    : ToOwnerMessage;
