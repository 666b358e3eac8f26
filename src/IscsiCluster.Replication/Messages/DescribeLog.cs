namespace IscsiCluster.Replication.Messages;

/// <summary>Owner to a replica that needs catch-up: describe the end of your log, for catch-up session <see cref="Session"/>.</summary>
public sealed record DescribeLog(long Epoch, int Owner, long Session) : ToReplicaMessage;
