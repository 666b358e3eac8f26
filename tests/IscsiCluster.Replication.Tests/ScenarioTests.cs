using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Tests.Simulation;
using static IscsiCluster.Replication.Tests.Simulation.Scripted;

namespace IscsiCluster.Replication.Tests;

/// <summary>
/// The cases REPLICATION.md says the simulation must contain, each scripted step by step on the simulated cluster (the random
/// schedules meet them too, but by chance). Every scenario ends with the full final checks.
/// </summary>
public sealed class ScenarioTests
{
    [Fact]
    public void ADivergentSuffixIsUndoneWhenTheOldOwnerReturns()
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.Acknowledged(sim.WriteBlocks(1, 2));

        // The owner's own replica takes the next two writes; nobody else ever sees them.
        sim.Hold = (from, _, message) => from == 1 && message is Append;
        var lost = sim.WriteBlocks(1, 2);
        var lostToo = sim.WriteBlocks(1, 3);
        sim.RunFor(5 * Millisecond);
        Assert.Equal(lostToo.Index, sim.Node(1).Replica!.Last.Index);
        Assert.True(sim.Node(2).Replica!.Last.Index < lost.Index);
        sim.Crash(1);
        sim.Held.Clear();
        sim.Hold = null;

        // A new owner: its no-op takes the first divergent index, its write the second, with other data.
        sim.Serving(2);
        var replacing = sim.Acknowledged(sim.WriteBlocks(2, 3));
        Assert.Equal(lostToo.Index, replacing.Index);
        Assert.True(replacing.Epoch > lostToo.Epoch);

        // The old node returns holding entries nobody acknowledged at indexes the new log uses: they are undone.
        sim.Restart(1);
        Assert.Equal(lostToo.Position(), sim.Node(1).Replica!.Last);
        Assert.True(sim.RunUntil(sim.Converged, 3 * Second), sim.DescribeState());
        Assert.Equal(replacing.Id, sim.Blocks(1)[3]);
        Assert.NotEqual(lost.Id, sim.Blocks(1)[2]);
        Assert.True(sim.MessageCounts.ContainsKey("CatchUpChunk.Final.Tail"), "the old owner's replica is caught up from the tails");
        sim.FinishCleanly();
    }

    [Fact]
    public void AnOwnerPausedPastItsLeaseRefusesTheReadThatArrivesWhenItWakes()
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.Acknowledged(sim.WriteBlocks(1, 0));
        sim.ShardingUnreachable.Add(1);
        sim.Pause(1, 1 * Second);

        // The sharding layer notices, moves the LUN; the new owner waits out the old lease, then serves a newer write.
        Assert.True(sim.RunUntil(() => sim.Primary != 1 && sim.Owner(sim.Primary!.Value)?.State == OwnerState.Serving, 1 * Second));
        var newer = sim.Acknowledged(sim.WriteBlocks(sim.Primary!.Value, 0));
        sim.RunFor(1 * Millisecond);

        // A read on the old owner's still-open session arrives while it sleeps; it runs when it wakes, owner still in place.
        Assert.True(sim.Node(1).IsPaused(sim.Now));
        var read = sim.Read(1, 0, 1);
        Assert.True(sim.RunUntil(() => read.EndedAt is not null, 2 * Second));
        Assert.NotNull(sim.Owner(1));
        Assert.Null(read.Values);
        Assert.True(newer.AckedAt < read.IssuedAt);
        Assert.NotEqual(OwnerState.Serving, sim.Owner(1)!.State);
        sim.ShardingUnreachable.Clear();
        sim.FinishCleanly();
    }

    [Fact]
    public void APlannedHandOffResignsTheOldLeaseSoTheNewOwnerServesAtOnce()
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.RunFor(500 * Millisecond);
        var before = sim.Acknowledged(sim.WriteBlocks(1, 2));

        // A drain: the sharding layer moves the LUN, the old owner stops and resigns, the new one needs no lease wait (200 ms
        // here); the new owner's reads see the old owner's last acknowledged write, and its own write wins after.
        var movedAt = sim.Now;
        sim.Designate(2);
        Assert.True(sim.RunUntil(() => sim.Owner(2)?.State == OwnerState.Serving, 1 * Second), sim.DescribeState());
        Assert.True(sim.Now - movedAt < 100 * Millisecond, $"the new owner served {(sim.Now - movedAt) / 1000} ms after the move");
        var read = sim.Read(2, 2, 1);
        Assert.True(sim.RunUntil(() => read.EndedAt is not null, 1 * Second));
        Assert.Equal(before.Id, Assert.Single(read.Values!));
        var after = sim.Acknowledged(sim.WriteBlocks(2, 2));
        sim.FinishCleanly();
        Assert.Equal(after.Id, sim.Blocks(3)[2]);
    }

    [Fact]
    public void AnOwnerCutOffFromItsPeersStopsServingTheClientsThatStillReachIt()
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.Acknowledged(sim.WriteBlocks(1, 5));
        sim.Partition(1);
        var isolated = sim.WriteBlocks(1, 5);
        sim.RunFor(300 * Millisecond);
        Assert.Equal(OwnerState.LeaseLapsed, sim.Owner(1)!.State);
        Assert.Null(isolated.AckedAt);
        var refused = sim.Read(1, 5, 1);
        var late = sim.WriteBlocks(1, 6);
        sim.RunFor(10 * Millisecond);
        Assert.Null(refused.Values);
        Assert.Equal(CompletionStatus.NotServing, late.Status);

        // The majority side elects another owner that serves newer writes; the isolated one never answers its clients.
        Assert.True(sim.RunUntil(() => sim.Primary != 1 && sim.Owner(sim.Primary!.Value)?.State == OwnerState.Serving, 2 * Second));
        var newer = sim.Acknowledged(sim.WriteBlocks(sim.Primary!.Value, 5));
        sim.RunFor(500 * Millisecond);
        Assert.Null(isolated.AckedAt);
        sim.Heal();
        Assert.True(sim.RunUntil(sim.Converged, 3 * Second), sim.DescribeState());
        Assert.Equal(newer.Id, sim.Blocks(1)[5]);
        sim.FinishCleanly();
    }

    [Theory]
    [InlineData(1UL)]
    [InlineData(2UL)]
    [InlineData(3UL)]
    [InlineData(4UL)]
    public void TwoWouldBeOwnersAtOnceNeverBothGetAMajority(ulong seed)
    {
        var sim = Cluster(seed: seed);
        sim.Duplication = 0.1;
        sim.Designate(1, 2);
        for (var i = 0; i < 30; i++)
        {
            sim.RunFor(20 * Millisecond);
            sim.WriteBlocks(sim.Random.Chance(0.5) ? 1 : 2, i % SimConfig.Blocks);
        }

        sim.NoViolation();
        sim.Designate(2);
        sim.FinishCleanly();
    }

    [Fact]
    public void MessagesDelayedPastANewEpochAreRefused()
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.Hold = (from, to, message) => from == 1 && to == 3 && message is Append or Heartbeat;
        var early = sim.Acknowledged(sim.WriteBlocks(1, 3));
        sim.Hold = null;
        sim.Serving(2);
        var epochOfNewOwner = sim.Owner(2)!.Epoch;
        Assert.Equal(epochOfNewOwner, sim.Node(3).Replica!.Promised);
        var before = sim.Node(3).Replica!.Last;

        // The old owner's appends arrive now, twice, out of order: refused, nothing appended.
        var held = sim.Held.ToArray();
        sim.Release((_, _, _) => true);
        foreach (var (from, to, message) in held.Reverse())
        {
            sim.Held.Add((from, to, message));
        }

        sim.Release((_, _, _) => true);
        sim.RunFor(50 * Millisecond);
        Assert.True(sim.Node(3).Replica!.Last.Epoch == epochOfNewOwner || sim.Node(3).Replica!.Last == before);
        sim.NoViolation();
        Assert.True(early.AckedAt is not null);
        sim.FinishCleanly();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void APromiseAndAnAppendCrossing(bool appendFirst)
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.Acknowledged(sim.WriteBlocks(1, 0));

        // n1 appends to n3 while n2 asks n3 for a promise; both are held, then delivered in the chosen order.
        sim.Hold = (_, to, message) => to == 3 && message is Append or PromiseRequest;
        var crossing = sim.Acknowledged(sim.WriteBlocks(1, 1));
        sim.Designate(2);
        Assert.True(sim.RunUntil(() => sim.Held.Any(h => h.Message is PromiseRequest), 1 * Second));
        var replica = sim.Node(3).Replica!;
        var before = replica.Last;
        Assert.True(before.Index < crossing.Index);
        sim.Hold = null;
        if (appendFirst)
        {
            // The append lands under the old promise; the promise then reports it, so recovery sees it.
            sim.Release((_, _, m) => m is Append);
            sim.RunFor(3 * Millisecond);
            Assert.Equal(crossing.Position(), replica.Last);
            sim.Release((_, _, m) => m is PromiseRequest);
        }
        else
        {
            // The promise lands first: the old owner's append is refused, and the refusal fences it.
            sim.Release((_, _, m) => m is PromiseRequest);
            sim.RunFor(3 * Millisecond);
            Assert.Equal(sim.Owner(2)!.Epoch, replica.Promised);
            sim.Release((_, _, m) => m is Append);
            sim.RunFor(3 * Millisecond);
            Assert.True(replica.Last.Index < crossing.Index || replica.Last.Epoch == replica.Promised);
            Assert.True(sim.MessageCounts.ContainsKey(nameof(StaleEpoch)));
        }

        sim.Serving(2);
        sim.FinishCleanly();
    }

    [Theory]
    [InlineData(3, "CatchUpChunk.Final.Tail")]
    [InlineData(0, "CatchUpChunk.Final.Extents")]
    public void AReplicaReturningWhileWritesContinueCatchesUpAndReportsProgress(int sizes, string method)
    {
        var sim = Cluster(sizes: sizes);
        sim.Serving(1);
        sim.Crash(3);
        var writes = method.EndsWith("Tail", StringComparison.Ordinal) ? 6 : 12;
        for (var i = 0; i < writes; i++)
        {
            sim.Acknowledged(sim.WriteBlocks(1, i % SimConfig.Blocks, 1 + (i % 2)));
        }

        sim.Restart(3);
        var sawProgress = false;
        for (var i = 0; i < 40 && !sim.Converged(); i++)
        {
            sim.WriteBlocks(1, (3 * i) % SimConfig.Blocks);
            sim.RunFor(5 * Millisecond);
            var replica = sim.Status(1).Replicas.Single(r => r.Replica == 3);
            sawProgress |= replica is { Health: ReplicaHealth.CatchingUp, Progress: { EntriesBehind: > 0 } };
        }

        Assert.True(sim.RunUntil(sim.Converged, 3 * Second), sim.DescribeState());
        Assert.True(sawProgress, "status showed the returning replica catching up, with entries behind");
        Assert.True(sim.MessageCounts.ContainsKey(method), string.Join(", ", sim.MessageCounts.Keys));
        sim.FinishCleanly();
    }

    [Fact]
    public void TheLastInSyncReplicaDyingDuringACatchUpStallsWritesUntilTheCatchUpEnds()
    {
        var sim = Cluster();
        sim.Serving(1);
        sim.Crash(3);
        for (var i = 0; i < 12; i++)
        {
            sim.Acknowledged(sim.WriteBlocks(1, i % SimConfig.Blocks));
        }

        // n3 returns and starts catching up; then n2, the only other in-sync replica, dies.
        sim.Restart(3);
        Assert.True(sim.RunUntil(() => sim.MessageCounts.ContainsKey(nameof(CatchUpStart)), 1 * Second));
        Assert.Equal(ReplicaHealth.CatchingUp, sim.Status(1).Replicas.Single(r => r.Replica == 3).Health);
        sim.Crash(2);
        var stalled = sim.WriteBlocks(1, 7);
        sim.RunFor(2 * Millisecond);
        Assert.Null(stalled.AckedAt);

        // n1 and n3 are a majority once n3 is contiguous again: the write completes then, and n3 counts.
        sim.Acknowledged(stalled);
        Assert.Equal(ReplicaHealth.InSync, sim.Status(1).Replicas.Single(r => r.Replica == 3).Health);
        sim.RunFor(200 * Millisecond);
        var status = sim.Status(1);
        Assert.Equal(ReplicaHealth.InSync, status.Replicas.Single(r => r.Replica == 3).Health);
        Assert.Equal(ReplicaHealth.Absent, status.Replicas.Single(r => r.Replica == 2).Health);
        sim.FinishCleanly();
    }

    [Fact]
    public void FiveReplicasKeepServingWithTwoDownAndCatchBothUp()
    {
        var sim = Cluster(replicas: 5);
        sim.Serving(1);
        sim.Crash(4);
        sim.Crash(5);
        for (var i = 0; i < 10; i++)
        {
            sim.Acknowledged(sim.WriteBlocks(1, i, fua: i % 3 == 0));
        }

        sim.Crash(1);
        sim.Restart(4);
        Assert.True(sim.RunUntil(() => sim.Primary is { } p && p != 1 && sim.Owner(p)?.State == OwnerState.Serving, 2 * Second), sim.DescribeState());
        sim.Acknowledged(sim.WriteBlocks(sim.Primary!.Value, 0));
        sim.FinishCleanly();
    }

    [Fact]
    public void AFuaWriteAndEverythingBeforeAFlushSurviveThePowerLossOfEveryReplicaAtOnce()
    {
        var sim = PowerLossOfEveryReplica(ProtocolBreakage.None);
        sim.NoViolation();
        var blocks = sim.Blocks(sim.Primary!.Value);
        Assert.Equal([1, 2, 0], blocks[..3]);
    }

    [Fact]
    public void APowerLossCheckCatchesAReplicaThatClaimsSyncsItNeverDid()
    {
        var violation = Assert.Single(PowerLossOfEveryReplica(ProtocolBreakage.ClaimSyncWithoutSyncing).Violations);
        Assert.Contains("(1) acknowledged write lost", violation, StringComparison.Ordinal);
    }

    private static SimCluster PowerLossOfEveryReplica(ProtocolBreakage breakage)
    {
        var sim = new SimCluster(SimConfig.For(3, breakage: breakage) with { PowerLoss = true }, new SimRandom(3));
        sim.Serving(1);
        sim.Acknowledged(sim.WriteBlocks(1, 0));
        sim.Flush(1);
        Assert.True(sim.RunUntil(() => sim.FlushesSucceeded == 1, 1 * Second));
        sim.Acknowledged(sim.WriteBlocks(1, 1, fua: true));
        sim.Acknowledged(sim.WriteBlocks(1, 2));
        foreach (var node in sim.Nodes)
        {
            sim.PowerFailure(node.Id, keep: 0);
        }

        sim.Finish();
        return sim;
    }

    [Theory]
    [InlineData(0.0, true)]
    [InlineData(0.06, false)]
    public void TheDriftMarginKeepsLeasesApartWhenClocksRunAtDifferentRates(double drift, bool overlap)
    {
        // n1's clock runs 5 % slow, n2's 5 % fast. n1 keeps its owner (the sharding layer's news does not reach it, and its host
        // starts no other) and renews its lease until the replicas promise n2, which waits out that lease on its faster clock.
        var config = SimConfig.For(3) with { ClockRates = [0.95, 1.05, 1.0] };
        config = config with { Settings = config.Settings with { ClockDrift = drift } };
        var sim = new SimCluster(config, new SimRandom(5));
        sim.Serving(1);
        sim.ShardingUnreachable.Add(1);
        sim.Node(1).NextOwnerAttempt = long.MaxValue;
        sim.Designate(2);
        sim.RunFor(1 * Second);
        Assert.Equal(overlap, sim.Violations.Any(v => v.Contains("leases overlap", StringComparison.Ordinal)));
        if (!overlap)
        {
            Assert.Equal(OwnerState.Serving, sim.Owner(2)!.State);
            Assert.NotEqual(OwnerState.Serving, sim.Owner(1)!.State);
        }
    }
}
