namespace IscsiCluster.Replication.Owner;

/// <summary>One replica as the owner sees it.</summary>
/// <param name="Replica">Node number.</param>
/// <param name="Health">In sync, catching up or absent.</param>
/// <param name="MatchIndex">Highest index known to be on it and the owner's; -1 when unknown.</param>
/// <param name="Progress">Catch-up progress when <paramref name="Health"/> is <see cref="ReplicaHealth.CatchingUp"/>.</param>
public sealed record ReplicaStatus(int Replica, ReplicaHealth Health, long MatchIndex, CatchUpProgress? Progress);
