namespace IscsiCluster.Replication.Log;

/// <summary>
/// What a replica keeps of a recent entry once its data is in the extents: its position and the byte ranges it changed.
/// The bounded tail of these finds the last point two logs share and the blocks to fetch to catch up or to undo a divergent
/// suffix (REPLICATION.md "Catching up").
/// </summary>
public sealed record EntryMetadata(long Index, long Epoch, IReadOnlyList<ByteRange> Ranges)
{
    /// <summary>The entry's position in the log.</summary>
    public LogPosition Position => new(Index, Epoch);
}
