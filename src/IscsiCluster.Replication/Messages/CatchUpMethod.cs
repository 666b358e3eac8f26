namespace IscsiCluster.Replication.Messages;

/// <summary>How a catch-up chose the blocks it ships (REPLICATION.md "Catching up").</summary>
public enum CatchUpMethod
{
    /// <summary>
    /// The ranges of the source's entries after the last shared point and of the target's own (divergent) entries after it,
    /// read from both tails.
    /// </summary>
    Tail,

    /// <summary>
    /// Whole extents whose version is newer than the target's committed index, or that the target itself changed after it:
    /// the tail no longer reaches back.
    /// </summary>
    Extents,
}
