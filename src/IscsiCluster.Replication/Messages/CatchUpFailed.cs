namespace IscsiCluster.Replication.Messages;

/// <summary>Catch-up source or target to owner: session <see cref="Session"/> cannot go on.</summary>
public sealed record CatchUpFailed(long Epoch, long Session, CatchUpFailure Reason) : ToOwnerMessage;
