namespace IscsiCluster.Replication.Messages;

/// <summary>A message the host must send to node <see cref="To"/> (possibly the local node) for this LUN.</summary>
public readonly record struct Outgoing(int To, ReplicationMessage Message);
