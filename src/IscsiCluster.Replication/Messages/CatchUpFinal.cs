using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// What the last chunk of a catch-up carries besides blocks: the snapshot position the blocks reflect, which becomes the
/// target's last entry; the source's entries after the shared point (its whole tail for <see cref="CatchUpMethod.Extents"/>)
/// so the target's tail continues the log; the source's versions of the extents shipped; and the committed index the target
/// may now record.
/// </summary>
public sealed record CatchUpFinal(
    LogPosition Position,
    long Committed,
    CatchUpMethod Method,
    long SharedIndex,
    IReadOnlyList<EntryMetadata> Tail,
    IReadOnlyList<ExtentVersion> ExtentVersions);
