namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// The simulation's client-visible checks (REPLICATION.md "Cases the simulation must contain", last paragraph):
/// (1) no acknowledged write is lost, and each write is kept or dropped whole; (2) no read goes back in time. They look only at
/// the history and the block contents, never at the protocol's state.
/// </summary>
internal static class Checker
{
    private static readonly (long, long) Initial = (0, 0);

    /// <summary>
    /// (2) A read returned, for each block, the last write acknowledged before the read began, or a write ordered after that
    /// one that the owner had received before the read ended (in flight) — never anything older.
    /// </summary>
    /// <remarks>With <paramref name="durableOnly"/> (power losses happened), only durably acknowledged writes set the floor.</remarks>
    public static string? CheckRead(History history, ReadRecord read, bool durableOnly = false)
    {
        if (read.Values is null || read.EndedAt is not { } end)
        {
            return null;
        }

        for (var i = 0; i < read.Count; i++)
        {
            var block = read.FirstBlock + i;
            var problem = CheckBlock(history, block, read.Values[i], floorBefore: read.IssuedAt, visibleBefore: end, durableOnly);
            if (problem is not null)
            {
                return $"(2) read went back in time at block {block}: {problem}; {read}";
            }
        }

        return null;
    }

    /// <summary>
    /// (1) Final contents: each block shows its last acknowledged write or a later one; a write seen in one block is seen, or
    /// overwritten by a later write, in every block it wrote; and the writes seen fit one log (no two at one index, epochs
    /// never decreasing with the index).
    /// </summary>
    public static string? CheckFinal(History history, int[] values, bool durableOnly = false)
    {
        for (var block = 0; block < values.Length; block++)
        {
            if (values[block] < 0)
            {
                return $"(1) block {block} holds bytes no write wrote there";
            }

            var problem = CheckBlock(history, block, values[block], floorBefore: long.MaxValue, visibleBefore: long.MaxValue, durableOnly);
            if (problem is not null)
            {
                return $"(1) acknowledged write lost at block {block}: {problem}";
            }
        }

        var seen = values.Where(v => v > 0).Distinct().Select(v => history.Write(v)!).ToArray();
        foreach (var write in seen)
        {
            foreach (var (block, _) in write.Blocks)
            {
                if (!HasAtLeast(history, block, values[block], write.Key, long.MaxValue))
                {
                    return $"(1) write kept partially: {write} is visible but block {block} holds w{values[block]}, older";
                }
            }
        }

        foreach (var a in seen)
        {
            foreach (var b in seen)
            {
                if (a.Index == b.Index && a.Epoch != b.Epoch)
                {
                    return $"(1) two writes of one index survive: {a} and {b}";
                }

                if (a.Index < b.Index && a.Epoch > b.Epoch)
                {
                    return $"(1) surviving writes out of epoch order: {a} before {b}";
                }
            }
        }

        return null;
    }

    private static string? CheckBlock(History history, int block, int value, long floorBefore, long visibleBefore, bool durableOnly)
    {
        var floor = Initial;
        WriteRecord? floorWrite = null;
        foreach (var write in history.Writes)
        {
            if (write.AckedAt is { } acked && acked < floorBefore && write.Blocks.ContainsKey(block) && write.Key.CompareTo(floor) > 0
                && (!durableOnly || history.Durable(write)))
            {
                floor = write.Key;
                floorWrite = write;
            }
        }

        if (value < 0)
        {
            return "bytes no write wrote there";
        }

        if (!HasAtLeast(history, block, value, floor, visibleBefore))
        {
            var shown = value == 0 ? "zeros" : history.Write(value)?.ToString() ?? $"unknown w{value}";
            return $"shows {shown}, older than {floorWrite?.ToString() ?? "nothing"}";
        }

        return null;
    }

    /// <summary>Could <paramref name="value"/> in <paramref name="block"/> come from a write ordered at or after <paramref name="floor"/>?</summary>
    private static bool HasAtLeast(History history, int block, int value, (long, long) floor, long visibleBefore)
    {
        if (value > 0)
        {
            var write = history.Write(value);
            return write is not null && write.Submitted && write.IssuedAt < visibleBefore
                && write.Blocks.TryGetValue(block, out var zero) && !zero && write.Key.CompareTo(floor) >= 0;
        }

        if (floor == Initial)
        {
            return true;
        }

        foreach (var write in history.Writes)
        {
            if (write.Submitted && write.IssuedAt < visibleBefore && write.Blocks.TryGetValue(block, out var zero) && zero
                && write.Key.CompareTo(floor) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
