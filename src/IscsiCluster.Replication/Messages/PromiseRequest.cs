namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Owner to replica (REPLICATION.md "Becoming owner", step 2): promise to refuse every epoch below <see cref="Epoch"/>.
/// <see cref="Incarnation"/> tells a lost-and-resent request of this owner (answered again) from a request of another owner, or
/// of a restarted one, for the same epoch (refused), so that at most one owner ever holds a majority for an epoch.
/// </summary>
public sealed record PromiseRequest(long Epoch, int Owner, long Incarnation) : ToReplicaMessage;
