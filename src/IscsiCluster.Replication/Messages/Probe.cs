namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Owner to replica, first step of becoming owner (REPLICATION.md "Becoming owner", step 1): what have you promised and where
/// does your log end? <see cref="ProbeId"/> matches the answers to this round.
/// </summary>
public sealed record Probe(long ProbeId) : ToReplicaMessage;
