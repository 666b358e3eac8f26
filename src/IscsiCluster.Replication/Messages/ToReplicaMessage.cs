namespace IscsiCluster.Replication.Messages;

/// <summary>
/// A message for the replica side of a node (its <see cref="Replica.ReplicaCore"/>): an owner's requests, and catch-up chunks
/// from a source. The host routes by this type: one endpoint per node handles these for every LUN.
/// </summary>
public abstract record ToReplicaMessage : ReplicationMessage;
