namespace IscsiCluster.Replication.Owner;

/// <summary>How one replica stands with the owner, for <c>status</c>.</summary>
public enum ReplicaHealth
{
    /// <summary>Its log follows the owner's without a gap; it counts toward majorities.</summary>
    InSync,

    /// <summary>Lagging or divergent, being brought back by catch-up; it does not count toward majorities until done.</summary>
    CatchingUp,

    /// <summary>Not heard from lately (or never, in this ownership).</summary>
    Absent,
}
