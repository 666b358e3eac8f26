namespace IscsiCluster.Replication.Owner;

/// <summary>The owner's state for the host's <c>status</c> and logs.</summary>
/// <param name="State">What it can do now.</param>
/// <param name="Epoch">Its epoch; 0 before it has chosen one.</param>
/// <param name="LastIndex">Index of the last entry of its log.</param>
/// <param name="CommittedIndex">Highest index on a majority including its own replica: every write up to it was acknowledged.</param>
/// <param name="DurableIndex">Highest index synced on a majority including its own replica.</param>
/// <param name="LeaseExpiry">Until when (its monotonic clock) it may serve; <see cref="TimeSpan.MinValue"/> before any renewal.</param>
/// <param name="Replicas">Each replica of the set.</param>
public sealed record OwnerStatus(
    OwnerState State,
    long Epoch,
    long LastIndex,
    long CommittedIndex,
    long DurableIndex,
    TimeSpan LeaseExpiry,
    IReadOnlyList<ReplicaStatus> Replicas);
