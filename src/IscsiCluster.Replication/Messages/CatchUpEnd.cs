namespace IscsiCluster.Replication.Messages;

/// <summary>Owner to the catch-up source: the session is over (installed or abandoned); release its snapshot.</summary>
public sealed record CatchUpEnd(long Epoch, long Session) : ToReplicaMessage;
