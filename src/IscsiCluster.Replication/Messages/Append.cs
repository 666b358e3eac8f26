using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Owner to replica (REPLICATION.md "Writing"): append <see cref="Entries"/> (contiguous, all of <see cref="Epoch"/>) after
/// <see cref="Previous"/>, which must be exactly the replica's last entry (log matching). <see cref="Committed"/> is the owner's
/// durable commit index, recorded by the replica for catch-up. <see cref="Sync"/> asks for the entries to be synced before the
/// answer (FUA). <see cref="SentAt"/> is the owner's clock when it built the message, echoed back to renew the lease.
/// </summary>
public sealed record Append(
    long Epoch, int Owner, LogPosition Previous, IReadOnlyList<LogEntry> Entries, long Committed, bool Sync, TimeSpan SentAt)
    : ToReplicaMessage;
