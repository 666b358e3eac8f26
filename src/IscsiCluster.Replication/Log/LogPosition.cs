namespace IscsiCluster.Replication.Log;

/// <summary>
/// The position of one entry of a LUN's replicated log: its index (contiguous across epochs, like Raft's) and the epoch of
/// the owner that created it. Only the owner of <see cref="Epoch"/> ever creates an entry of that epoch, and it creates each
/// index once, so two replicas holding the same position hold the same entry and the same log up to it (log matching,
/// REPLICATION.md "Writing").
/// </summary>
/// <param name="Index">Index of the entry; 0 is the empty log, shared by every replica.</param>
/// <param name="Epoch">Epoch of the owner that created the entry; 0 for the empty log.</param>
public readonly record struct LogPosition(long Index, long Epoch)
{
    /// <summary>The empty log: every replica starts there and every log begins with it.</summary>
    public static LogPosition Origin => default;

    /// <summary>
    /// Recovery order (REPLICATION.md "Becoming owner", step 3): the newer epoch wins, then the longer log. A log whose
    /// last entry is of a newer epoch holds every entry acknowledged before that epoch began.
    /// </summary>
    public bool IsNewerThan(LogPosition other) => Epoch != other.Epoch ? Epoch > other.Epoch : Index > other.Index;

    public override string ToString() => $"{Index}@{Epoch}";
}
