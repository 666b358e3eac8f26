namespace IscsiCluster.Replication.Messages;

/// <summary>Owner to replica, for SYNCHRONIZE CACHE: sync everything appended, then answer with the synced index.</summary>
public sealed record SyncRequest(long Epoch, int Owner, TimeSpan SentAt) : ToReplicaMessage;
