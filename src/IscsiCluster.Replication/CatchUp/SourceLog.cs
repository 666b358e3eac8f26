using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.CatchUp;

/// <summary>The catch-up source's log as of its snapshot: what the planner compares the target against.</summary>
/// <param name="Last">The snapshot position: the last entry whose effects the snapshot's blocks show.</param>
/// <param name="Committed">The source's committed index.</param>
/// <param name="Tail">The source's tail, contiguous and ending at <paramref name="Last"/> (or empty).</param>
/// <param name="Versions">The source's extent versions; an absent extent was never written.</param>
internal sealed record SourceLog(LogPosition Last, long Committed, IReadOnlyList<EntryMetadata> Tail, IReadOnlyDictionary<long, long> Versions);
