namespace IscsiCluster.Replication.Messages;

/// <summary>Owner to the catch-up source: send chunk <see cref="Chunk"/> of session <see cref="Session"/> to its target.</summary>
public sealed record CatchUpContinue(long Epoch, int Owner, long Session, int Chunk) : ToReplicaMessage;
