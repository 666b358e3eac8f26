namespace IscsiCluster.Replication.Messages;

/// <summary>A message the host received from node <see cref="From"/> for this LUN; used to hand a replica several at once.</summary>
public readonly record struct Incoming(int From, ReplicationMessage Message);
