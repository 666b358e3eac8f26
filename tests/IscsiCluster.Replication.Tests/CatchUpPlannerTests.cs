using IscsiCluster.Replication.CatchUp;
using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Tests;

/// <summary>Which blocks a catch-up ships (REPLICATION.md "Catching up"): from the tails, or whole extents.</summary>
public sealed class CatchUpPlannerTests
{
    private static readonly ExtentGeometry Geometry = new(128, 32);

    [Fact]
    public void TheTailPathShipsWhatChangedOnEitherSideAfterTheLastSharedEntry()
    {
        // Both logs share 1..3 (epoch 1); the source then has 4..5 of epoch 2, the target a divergent 4 of epoch 1.
        var source = Source(new LogPosition(5, 2), committed: 3, Meta(2, 1, 0), Meta(3, 1, 8), Meta(4, 2, 16), Meta(5, 2, 40));
        var target = Target(new LogPosition(4, 1), committed: 2, [Meta(3, 1, 8), Meta(4, 1, 64)]);
        var plan = Plan(source, target);
        Assert.Equal(CatchUpMethod.Tail, plan.Method);
        Assert.Equal(3, plan.SharedIndex);
        Assert.Equal([new ByteRange(16, 8), new ByteRange(40, 8), new ByteRange(64, 8)], plan.Chunks.SelectMany(c => c));
        Assert.Equal([4L, 5], plan.Tail.Select(t => t.Index));
        Assert.Equal([new ExtentVersion(0, 4), new ExtentVersion(1, 5), new ExtentVersion(2, 0)], plan.Versions);
    }

    [Fact]
    public void ASameIndexWithAnotherEpochIsNotShared()
    {
        var source = Source(new LogPosition(4, 3), committed: 2, Meta(3, 3, 0), Meta(4, 3, 8));
        var target = Target(new LogPosition(4, 2), committed: 2, [Meta(3, 2, 16), Meta(4, 2, 24)]);
        var plan = Plan(source, target);
        Assert.Equal(2, plan.SharedIndex);
        Assert.Equal(32, plan.TotalBytes);
    }

    [Fact]
    public void ATargetThatIsAPrefixOfTheSourceGetsOnlyTheSourcesLaterChanges()
    {
        var source = Source(new LogPosition(6, 1), committed: 5, Meta(4, 1, 0), Meta(5, 1, 8), Meta(6, 1, 16));
        var target = Target(new LogPosition(4, 1), committed: 3, [Meta(4, 1, 0)]);
        var plan = Plan(source, target);
        Assert.Equal(4, plan.SharedIndex);
        Assert.Equal([new ByteRange(8, 16)], plan.Chunks.SelectMany(c => c));
    }

    [Fact]
    public void WhenTheSourceTailDoesNotReachBackWholeExtentsNewerThanTheTargetsCommittedIndexAreShipped()
    {
        var source = Source(new LogPosition(20, 1), committed: 19, versions: new() { [0] = 3, [1] = 15, [3] = 20 }, Meta(19, 1, 0), Meta(20, 1, 96));
        var target = Target(new LogPosition(5, 1), committed: 5, []);
        var plan = Plan(source, target);
        Assert.Equal(CatchUpMethod.Extents, plan.Method);
        Assert.Equal(5, plan.SharedIndex);
        Assert.Equal([new ByteRange(32, 32), new ByteRange(96, 32)], plan.Chunks.SelectMany(c => c));
        Assert.Equal([new ExtentVersion(1, 15), new ExtentVersion(3, 20)], plan.Versions);
        Assert.Equal([19L, 20], plan.Tail.Select(t => t.Index));
    }

    [Fact]
    public void TheExtentsTheTargetItselfChangedAfterItsCommittedIndexAreShippedToo()
    {
        var source = Source(new LogPosition(20, 2), committed: 19, versions: new() { [1] = 15 }, Meta(20, 2, 40));
        var target = Target(new LogPosition(9, 1), committed: 5, [Meta(8, 1, 0), Meta(9, 1, 64)], modified: [0, 2]);
        var plan = Plan(source, target);
        Assert.Equal(CatchUpMethod.Extents, plan.Method);
        Assert.Equal([new ByteRange(0, 96)], plan.Chunks.SelectMany(c => c));
        Assert.Equal([new ExtentVersion(0, 0), new ExtentVersion(1, 15), new ExtentVersion(2, 0)], plan.Versions);
    }

    [Fact]
    public void ATargetThatMayHoldEntriesOfTheOwnersLogPastTheSnapshotIsNotRolledBack()
    {
        var source = Source(new LogPosition(5, 2), committed: 4, Meta(5, 2, 0));
        var target = Target(new LogPosition(7, 2), committed: 4, [Meta(6, 2, 8), Meta(7, 2, 16)]);
        Assert.Null(CatchUpPlanner.Plan(source, target, Geometry, 64, out var failure));
        Assert.Equal(CatchUpFailure.SourceBehind, failure);

        var ahead = Target(new LogPosition(6, 1), committed: 6, []);
        Assert.Null(CatchUpPlanner.Plan(source, ahead, Geometry, 64, out _));
    }

    [Fact]
    public void ATargetPastTheSnapshotWithAnOlderLastEpochIsDivergentThereAndIsUndone()
    {
        var source = Source(new LogPosition(5, 3), committed: 2, Meta(3, 3, 0), Meta(4, 3, 8), Meta(5, 3, 16));
        var target = Target(new LogPosition(9, 2), committed: 2, [Meta(3, 2, 24), Meta(4, 2, 32), Meta(5, 2, 40), Meta(6, 2, 48), Meta(7, 2, 56), Meta(8, 2, 64), Meta(9, 2, 72)]);
        var plan = Plan(source, target);
        Assert.Equal(2, plan.SharedIndex);
        Assert.Equal(80, plan.TotalBytes);
    }

    [Fact]
    public void ChunksCarryTheUnionOnceInOffsetOrderAndAnEmptyPlanStillHasOne()
    {
        var source = Source(new LogPosition(3, 1), committed: 0, Meta(1, 1, 0, 24), Meta(2, 1, 8, 8), Meta(3, 1, 40, 16));
        var plan = CatchUpPlanner.Plan(source, Target(LogPosition.Origin, 0, []), Geometry, 16, out _)!;
        Assert.Equal([[new ByteRange(0, 16)], [new ByteRange(16, 8), new ByteRange(40, 8)], [new ByteRange(48, 8)]], plan.Chunks);

        var nothing = CatchUpPlanner.Plan(source, Target(new LogPosition(3, 1), 3, []), Geometry, 16, out _)!;
        Assert.Single(nothing.Chunks);
        Assert.Empty(nothing.Chunks[0]);
    }

    private static CatchUpPlan Plan(SourceLog source, LogDescription target)
    {
        var plan = CatchUpPlanner.Plan(source, target, Geometry, 1024, out var failure);
        Assert.True(plan is not null, $"no plan: {failure}");
        return plan;
    }

    private static SourceLog Source(LogPosition last, long committed, params EntryMetadata[] tail) =>
        Source(last, committed, VersionsOf(tail), tail);

    private static SourceLog Source(LogPosition last, long committed, Dictionary<long, long> versions, params EntryMetadata[] tail) =>
        new(last, committed, tail, versions);

    private static LogDescription Target(LogPosition last, long committed, EntryMetadata[] tail, long[]? modified = null) =>
        new(1, 1, last, committed, tail, modified ?? VersionsOf(tail).Keys.ToArray());

    private static Dictionary<long, long> VersionsOf(IEnumerable<EntryMetadata> tail)
    {
        var versions = new Dictionary<long, long>();
        foreach (var entry in tail)
        {
            foreach (var range in entry.Ranges)
            {
                var (first, last) = Geometry.ExtentsOf(range);
                for (var e = first; e <= last; e++)
                {
                    versions[e] = entry.Index;
                }
            }
        }

        return versions;
    }

    private static EntryMetadata Meta(long index, long epoch, long offset, int length = 8) => new(index, epoch, [new ByteRange(offset, length)]);
}
