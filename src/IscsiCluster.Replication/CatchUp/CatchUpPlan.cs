using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.CatchUp;

/// <summary>
/// What a catch-up ships: the blocks (in chunks), the metadata the target's tail continues with, and the source's versions
/// of every extent the blocks touch. <see cref="SharedIndex"/> is the last index both logs are known to share.
/// </summary>
internal sealed record CatchUpPlan(
    CatchUpMethod Method,
    long SharedIndex,
    IReadOnlyList<IReadOnlyList<ByteRange>> Chunks,
    long TotalBytes,
    IReadOnlyList<EntryMetadata> Tail,
    IReadOnlyList<ExtentVersion> Versions);
