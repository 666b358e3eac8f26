namespace IscsiCluster.Replication.Log;

/// <summary>
/// One write of the replicated log, applied atomically: all its ranges or none. A no-op entry has no ranges; a new owner
/// appends one to fix its epoch on a majority before it serves (REPLICATION.md "Becoming owner", step 4).
/// </summary>
public sealed record LogEntry(long Index, long Epoch, IReadOnlyList<WriteRange> Ranges)
{
    /// <summary>The entry's position in the log.</summary>
    public LogPosition Position => new(Index, Epoch);

    /// <summary>Bytes of data the entry carries (zeroed runs carry none).</summary>
    public long DataBytes
    {
        get
        {
            long total = 0;
            foreach (var range in Ranges)
            {
                total += range.Data.Length;
            }

            return total;
        }
    }

    /// <summary>The entry without its data, as the replica keeps it in its tail.</summary>
    public EntryMetadata ToMetadata()
    {
        var ranges = new ByteRange[Ranges.Count];
        for (var i = 0; i < ranges.Length; i++)
        {
            ranges[i] = Ranges[i].Range;
        }

        return new EntryMetadata(Index, Epoch, ranges);
    }
}
