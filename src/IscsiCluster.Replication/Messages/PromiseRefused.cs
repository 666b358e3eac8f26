namespace IscsiCluster.Replication.Messages;

/// <summary>Replica to owner: <see cref="Epoch"/> is not above what it promised (<see cref="Promised"/>), or was promised to another owner.</summary>
public sealed record PromiseRefused(long Epoch, long Promised) : ToOwnerMessage;
