namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Owner to replica when it stops owning on purpose (a drain, a hand-off, a shutdown): it has already stopped serving and
/// will never read or acknowledge again under <see cref="Epoch"/>, so its lease no longer needs waiting out. A replica that
/// promised <see cref="Epoch"/> to <see cref="Owner"/> then reports, in its next promise, only the age of the leases before
/// that epoch, and a new owner starts serving without the lease wait (REPLICATION.md "Becoming owner", step 5).
/// </summary>
public sealed record Resign(long Epoch, int Owner) : ToReplicaMessage;
