namespace IscsiCluster.Replication.Owner;

/// <summary>How far a catching-up replica is from the owner's log (ARCHITECTURE.md invariant 6: a returning node reports its progress).</summary>
/// <param name="EntriesBehind">Entries between its last known entry and the owner's last.</param>
/// <param name="BytesLeft">Block bytes its current catch-up still has to receive; -1 before the source has planned it.</param>
public sealed record CatchUpProgress(long EntriesBehind, long BytesLeft);
