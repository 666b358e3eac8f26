using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.CatchUp;

/// <summary>
/// Decides which blocks bring a target replica's log to the source's snapshot position (REPLICATION.md "Catching up"). Pure:
/// the same inputs give the same plan on every node, which is what lets the tests check it directly.
/// <para>
/// Shared point: the last index whose entry both logs hold with the same epoch, found from the end backwards over both tails;
/// it is at least the target's committed index, since every committed entry is in every later owner's log, hence in the
/// source's. Then, when both tails reach back past it, ship the union of the ranges of the source's entries after it and of
/// the target's own entries after it (a divergent suffix, undone by overwriting its blocks with the source's contents).
/// Otherwise ship whole extents: those whose source version is newer than the target's committed index, and those the
/// target itself changed after its committed index.
/// </para>
/// </summary>
internal static class CatchUpPlanner
{
    /// <summary>
    /// The plan, or null with <paramref name="failure"/> = <see cref="CatchUpFailure.SourceBehind"/> when the target may hold
    /// entries of the owner's log that the source's snapshot does not: shipping the snapshot would roll the target back.
    /// </summary>
    public static CatchUpPlan? Plan(SourceLog source, LogDescription target, ExtentGeometry geometry, int chunkBytes, out CatchUpFailure failure)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(target);
        failure = CatchUpFailure.SourceBehind;
        var last = source.Last;
        if (target.Committed > last.Index)
        {
            return null;
        }

        var sourceEpochs = EpochIndex(source.Tail, last);
        var targetEpochs = EpochIndex(target.Tail, target.Last);

        // From the end backwards: the first index both know with the same epoch is where they last agree. A known pair that
        // differs proves the target's entries from there on are not the owner's.
        var shared = target.Committed;
        var provenDivergent = false;
        var highest = Math.Min(target.Last.Index, last.Index);
        foreach (var (index, targetEpoch) in targetEpochs.Where(p => p.Key > target.Committed && p.Key <= highest).OrderByDescending(p => p.Key))
        {
            if (sourceEpochs.TryGetValue(index, out var sourceEpoch))
            {
                if (sourceEpoch == targetEpoch)
                {
                    shared = index;
                    break;
                }

                provenDivergent = true;
            }
        }

        // The target's log goes past the snapshot. Its entries there are undone only when they cannot be the owner's: a proven
        // difference, or a last epoch older than the snapshot's (the owner's log has only newer epochs after the snapshot).
        if (target.Last.Index > last.Index && !provenDivergent && target.Last.Epoch >= last.Epoch)
        {
            return null;
        }

        var sourceTailStart = source.Tail.Count > 0 ? source.Tail[0].Index : last.Index + 1;
        var targetTailStart = target.Tail.Count > 0 ? target.Tail[0].Index : target.Last.Index + 1;
        var sourceCovers = shared >= last.Index || sourceTailStart <= shared + 1;
        var targetCovers = shared >= target.Last.Index || targetTailStart <= shared + 1;

        var blocks = new RangeSet();
        CatchUpMethod method;
        IReadOnlyList<EntryMetadata> tail;
        var touched = new SortedSet<long>();
        if (sourceCovers && targetCovers)
        {
            method = CatchUpMethod.Tail;
            var after = new List<EntryMetadata>();
            foreach (var entry in source.Tail)
            {
                if (entry.Index > shared)
                {
                    after.Add(entry);
                    AddRanges(entry, blocks, touched, geometry);
                }
            }

            foreach (var entry in target.Tail)
            {
                if (entry.Index > shared)
                {
                    AddRanges(entry, blocks, touched, geometry);
                }
            }

            tail = after;
        }
        else
        {
            method = CatchUpMethod.Extents;
            shared = target.Committed;
            foreach (var (extent, version) in source.Versions)
            {
                if (version > target.Committed)
                {
                    touched.Add(extent);
                }
            }

            foreach (var extent in target.ModifiedExtents)
            {
                if (extent >= 0 && extent < geometry.ExtentCount)
                {
                    touched.Add(extent);
                }
            }

            foreach (var extent in touched)
            {
                blocks.Add(geometry.RangeOf(extent));
            }

            tail = source.Tail;
        }

        var versions = touched.Select(e => new ExtentVersion(e, source.Versions.TryGetValue(e, out var v) ? v : 0)).ToArray();
        failure = default;
        return new CatchUpPlan(method, shared, blocks.Chunk(chunkBytes), blocks.TotalBytes, tail, versions);
    }

    private static Dictionary<long, long> EpochIndex(IReadOnlyList<EntryMetadata> tail, LogPosition last)
    {
        var epochs = new Dictionary<long, long>(tail.Count + 2) { [0] = 0 };
        foreach (var entry in tail)
        {
            epochs[entry.Index] = entry.Epoch;
        }

        epochs[last.Index] = last.Epoch;
        return epochs;
    }

    private static void AddRanges(EntryMetadata entry, RangeSet blocks, SortedSet<long> touched, ExtentGeometry geometry)
    {
        foreach (var range in entry.Ranges)
        {
            if (range.Length <= 0 || range.Offset < 0 || range.End > geometry.SizeBytes)
            {
                continue;
            }

            blocks.Add(range);
            var (first, lastExtent) = geometry.ExtentsOf(range);
            for (var extent = first; extent <= lastExtent; extent++)
            {
                touched.Add(extent);
            }
        }
    }
}
