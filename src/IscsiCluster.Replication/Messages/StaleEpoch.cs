namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Replica to owner: <see cref="Epoch"/> is below what it promised (<see cref="Promised"/>). A newer owner exists; the owner
/// that receives this is fenced (ARCHITECTURE.md invariant 1).
/// </summary>
public sealed record StaleEpoch(long Epoch, long Promised) : ToOwnerMessage;
