using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Replica to owner: an append of <see cref="Epoch"/> did not follow its last entry (REPLICATION.md "Writing": a lagging or
/// divergent replica never counts toward a majority). It reports its last entry and committed index so that the owner resends
/// from its window or starts a catch-up. It still confirms the epoch, so <see cref="SentAt"/> renews the lease.
/// </summary>
public sealed record LogMismatch(long Epoch, LogPosition Last, long Committed, TimeSpan SentAt) : ToOwnerMessage;
