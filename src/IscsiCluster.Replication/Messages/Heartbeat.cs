using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Owner to replica when no append renews the lease (REPLICATION.md "Reading, and why a lease"). <see cref="Committed"/>, the
/// position of the owner's durable commit index, lets a replica whose log holds that position record it.
/// </summary>
public sealed record Heartbeat(long Epoch, int Owner, LogPosition Committed, TimeSpan SentAt) : ToReplicaMessage;
