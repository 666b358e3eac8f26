using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Replica to owner, answering an append, heartbeat or sync of <see cref="Epoch"/> (which it has promised): its last entry and
/// the highest index it has synced, after handling the request. <see cref="SentAt"/> echoes the request's, to renew the lease.
/// </summary>
public sealed record Accepted(long Epoch, LogPosition Last, long Synced, TimeSpan SentAt) : ToOwnerMessage;
