namespace IscsiCluster.Cluster.Membership;

/// <summary>How this node sees another node of the cluster (status shows it; ALUA follows it). Livelier states come first.</summary>
public enum NodeState
{
    /// <summary>A member, reachable.</summary>
    Up,

    /// <summary>A member the failure detector cannot reach now (it may come back, or be downed).</summary>
    Unreachable,

    /// <summary>Not a member: never joined, left, or downed.</summary>
    Down,
}
