namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Owner to the catch-up source: plan a catch-up of <see cref="Target"/>, described by <see cref="Description"/>, take a
/// consistent snapshot, and send it chunk 0. Sent again unchanged when the first chunk is not acknowledged in time.
/// </summary>
public sealed record CatchUpStart(long Epoch, int Owner, long Session, int Target, LogDescription Description) : ToReplicaMessage;
