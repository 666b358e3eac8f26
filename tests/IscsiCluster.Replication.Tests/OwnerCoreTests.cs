using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Tests.Support;

namespace IscsiCluster.Replication.Tests;

/// <summary>The owner's handling of answers, its lease arithmetic and its majority rule, against real replicas, message by message.</summary>
public sealed class OwnerCoreTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    [Fact]
    public void ItOwnsTheEpochAfterTheHighestPromiseAndEveryReplicaPromisesIt()
    {
        var wire = new Wire();
        wire.Stores[2].SavePromise(4, 2, 1);
        wire.Stores[3].SavePromise(7, 3, 1);
        wire.Replicas[2] = new Replica.ReplicaCore(2, wire.Settings, wire.Stores[2], wire.Now);
        wire.Replicas[3] = new Replica.ReplicaCore(3, wire.Settings, wire.Stores[3], wire.Now);
        var owner = wire.Serving();
        Assert.Equal(8, owner.Epoch);
        Assert.All(wire.Stores.Values, s => Assert.Equal(8, s.Promised));
    }

    [Fact]
    public void ItWaitsOutTheLeaseLessTheYoungestPromisedAgeCountedFromTheLastPromise()
    {
        var wire = new Wire();
        wire.Now += 50 * Ms;
        var owner = wire.StartOwner();
        wire.DeliverAll();

        // Every replica started 50 ms ago and acknowledged no owner since: wait L·(1+ρ) − 50 ms = 152 ms.
        Assert.Equal(OwnerState.WaitingLease, owner.State);
        var until = wire.Now + wire.Settings.LeaseWait - (50 * Ms);
        Assert.False(owner.CanRead(until - TimeSpan.FromTicks(1)));
        Assert.True(owner.CanRead(until));
    }

    [Fact]
    public void TheLeaseRunsFromTheSendTimeOfTheNewestRequestAMajorityAnswered()
    {
        var wire = new Wire();
        var owner = wire.Serving();
        var sentAt = wire.Now;
        wire.Take(1, owner.Tick(wire.Now + wire.Settings.HeartbeatInterval));
        sentAt += wire.Settings.HeartbeatInterval;
        wire.Now = sentAt + (30 * Ms);

        // Answered by its own replica only: no renewal. Then by one more: a majority, from the send time.
        var before = owner.LeaseExpiry;
        wire.DeliverAll((_, to, m) => to == 1 && m is Heartbeat);
        wire.DeliverAll((from, _, m) => from == 1 && m is Accepted);
        Assert.Equal(before, owner.LeaseExpiry);
        wire.DeliverAll((_, to, m) => to == 2 && m is Heartbeat);
        wire.DeliverAll((from, _, m) => from == 2 && m is Accepted);
        Assert.Equal(sentAt + wire.Settings.LeaseGrant, owner.LeaseExpiry);
        Assert.True(owner.LeaseValidAt(owner.LeaseExpiry - TimeSpan.FromTicks(1)));
        Assert.False(owner.LeaseValidAt(owner.LeaseExpiry));
    }

    [Fact]
    public void ALapsedLeaseStopsServingUntilAMajorityAnswersAgain()
    {
        var wire = new Wire();
        var owner = wire.Serving();
        wire.Drop = (_, to, _) => to != 1;
        wire.Advance(wire.Settings.LeaseDuration + (10 * Ms));
        Assert.Equal(OwnerState.LeaseLapsed, owner.State);
        var output = owner.Submit(new WriteRequest(5, [Wire.Bytes(0, 1)]), wire.Now);
        Assert.Equal(CompletionStatus.NotServing, Assert.Single(output.Completions).Status);
        wire.Drop = (_, _, _) => false;
        wire.Advance(wire.Settings.HeartbeatInterval + (10 * Ms));
        Assert.Equal(OwnerState.Serving, owner.State);
    }

    [Fact]
    public void AWriteIsAcknowledgedOnlyOnceAMajorityIncludingTheOwnersOwnReplicaHasIt()
    {
        var wire = new Wire();
        wire.Serving();
        wire.Write(1, tag: 9, offset: 0, fill: 0xAB);

        // Both other replicas have it: still not acknowledged, the owner's local reads would miss it.
        wire.DeliverAll((_, to, m) => to != 1 && m is Append);
        wire.DeliverAll((from, _, m) => from != 1 && m is Accepted);
        Assert.DoesNotContain(wire.Completions, c => c.Tag == 9);
        wire.DeliverAll();
        Assert.Equal(CompletionStatus.Succeeded, Assert.Single(wire.Completions, c => c.Tag == 9).Status);
        Assert.Equal(0xAB, wire.Contents(1)[0]);
    }

    [Fact]
    public void AFuaWriteIsSyncedOnAMajorityBeforeItIsAcknowledgedAndAPlainOneIsNot()
    {
        var wire = new Wire();
        wire.Serving();
        var syncs = wire.Stores.Values.Sum(s => s.SyncCalls);
        wire.Write(1, tag: 1, offset: 0, fill: 1);
        wire.DeliverAll();
        Assert.Equal(syncs, wire.Stores.Values.Sum(s => s.SyncCalls));
        wire.Write(1, tag: 2, offset: 8, fill: 2, fua: true);
        wire.DeliverAll();
        Assert.Contains(wire.Completions, c => c.Tag == 2 && c.Status == CompletionStatus.Succeeded);
        Assert.True(wire.Stores.Values.Count(s => s.SyncCalls > syncs / 3) >= 2);
    }

    [Fact]
    public void AFlushCompletesOnceEverythingAcknowledgedIsSyncedOnAMajority()
    {
        var wire = new Wire();
        var owner = wire.Serving();
        wire.Write(1, tag: 1, offset: 0, fill: 1);
        wire.DeliverAll();
        wire.Take(1, owner.Flush(77, wire.Now));
        Assert.DoesNotContain(wire.Completions, c => c.Tag == 77);
        wire.DeliverAll();
        var flush = Assert.Single(wire.Completions, c => c.Tag == 77);
        Assert.Equal(CompletionStatus.Succeeded, flush.Status);
        Assert.True(owner.Status(wire.Now).DurableIndex >= flush.Index);
    }

    [Fact]
    public void ARefusalWithANewerEpochFencesTheOwnerAndFailsEveryPendingWrite()
    {
        var wire = new Wire();
        var owner = wire.Serving();
        wire.Write(1, tag: 3, offset: 0, fill: 3);
        wire.InFlight.Clear();
        wire.Take(1, owner.Handle(2, new StaleEpoch(owner.Epoch, owner.Epoch + 1), wire.Now));
        Assert.Equal(OwnerState.Fenced, owner.State);
        Assert.Equal(CompletionStatus.Fenced, Assert.Single(wire.Completions, c => c.Tag == 3).Status);
        Assert.False(owner.CanRead(wire.Now));
        var later = owner.Submit(new WriteRequest(4, [Wire.Bytes(0, 4)]), wire.Now);
        Assert.Equal(CompletionStatus.Fenced, Assert.Single(later.Completions).Status);
    }

    [Fact]
    public void ARefusalMeantForAnOlderIncarnationIsIgnored()
    {
        var wire = new Wire();
        var owner = wire.Serving();
        wire.Take(1, owner.Handle(2, new StaleEpoch(owner.Epoch - 1, owner.Epoch + 5), wire.Now));
        Assert.Equal(OwnerState.Serving, owner.State);
    }

    [Fact]
    public void WritesAreRefusedUntilItServesAndMalformedOnesAlways()
    {
        var wire = new Wire();
        var owner = wire.StartOwner();
        var early = owner.Submit(new WriteRequest(1, [Wire.Bytes(0, 1)]), wire.Now);
        Assert.Equal(CompletionStatus.NotServing, Assert.Single(early.Completions).Status);
        wire.Serving();
        owner = wire.Owner();
        WriteRequest[] malformed =
        [
            new(2, []),
            new(3, [Wire.Bytes(124, 1)]),
            new(4, [new WriteRange(0, 8, new byte[2])]),
            new(5, [new WriteRange(-8, 8, new byte[8])]),
        ];
        foreach (var request in malformed)
        {
            Assert.Equal(CompletionStatus.Invalid, Assert.Single(owner.Submit(request, wire.Now).Completions).Status);
        }
    }

    [Fact]
    public void WhatGetsLostIsSentAgainAfterTheRetryInterval()
    {
        var wire = new Wire();
        wire.Serving();
        wire.Write(1, tag: 1, offset: 0, fill: 1);
        wire.InFlight.RemoveAll(m => m.Message is Append && m.To != 1);
        wire.DeliverAll();
        Assert.DoesNotContain(wire.Completions, c => c.Tag == 1);
        wire.Advance(wire.Settings.RetryInterval + (5 * Ms));
        Assert.Contains(wire.Completions, c => c.Tag == 1 && c.Status == CompletionStatus.Succeeded);
    }

    [Fact]
    public void StatusReportsAnAbsentReplicaAndACatchingUpOneWithItsProgress()
    {
        var wire = new Wire();
        var owner = wire.Serving();
        wire.Drop = (_, to, _) => to == 3;
        for (var i = 0; i < 8; i++)
        {
            wire.Write(1, tag: i, offset: 8 * (i % 16), fill: (byte)i);
            wire.DeliverAll();
        }

        wire.Advance(wire.Settings.AbsentAfter + (10 * Ms));
        var status = owner.Status(wire.Now);
        Assert.Equal(ReplicaHealth.Absent, status.Replicas.Single(r => r.Replica == 3).Health);
        Assert.Equal(ReplicaHealth.InSync, status.Replicas.Single(r => r.Replica == 2).Health);

        // It returns; the window (4 entries) no longer reaches back to it, so it is caught up by contents.
        wire.Drop = (_, _, _) => false;
        wire.Take(1, owner.Tick(wire.Now + wire.Settings.HeartbeatInterval));
        wire.Now += wire.Settings.HeartbeatInterval;
        wire.DeliverAll((_, to, m) => to == 3 && m is Heartbeat);
        wire.DeliverAll((from, _, m) => from == 3 && m is Accepted);
        var catching = owner.Status(wire.Now).Replicas.Single(r => r.Replica == 3);
        Assert.Equal(ReplicaHealth.CatchingUp, catching.Health);
        Assert.Equal(status.LastIndex, catching.Progress!.EntriesBehind + 1);
        wire.DeliverAll();
        Assert.Equal(ReplicaHealth.InSync, owner.Status(wire.Now).Replicas.Single(r => r.Replica == 3).Health);
        Assert.Equal(wire.Contents(1), wire.Contents(3));
    }

    [Fact]
    public void TwoOwnersThatChoseTheSameEpochCannotBothGatherAMajority()
    {
        var wire = new Wire();
        var a = wire.StartOwner(1, seed: 1);
        var b = wire.StartOwner(2, seed: 2);
        wire.DeliverAll((_, _, m) => m is Probe or ProbeReply);
        Assert.Equal(a.Epoch, b.Epoch);

        // Replica 3 hears a first, replica 1 hears b first: each has at most its own replica and one more, never both.
        wire.DeliverOne((from, to, m) => from == 1 && to == 3 && m is PromiseRequest);
        wire.DeliverOne((from, to, m) => from == 2 && to == 1 && m is PromiseRequest);
        wire.DeliverAll();
        Assert.False(a.HoldsEpoch && b.HoldsEpoch);
        Assert.Contains(OwnerState.Fenced, new[] { a.State, b.State });
    }

    [Fact]
    public void AnOwnerMustBeOneOfTheReplicas()
    {
        var settings = new Wire().Settings;
        Assert.Throws<ArgumentException>(() => new OwnerCore(9, settings, new Random(1)));
    }

    [Fact]
    public void RecoveryAdoptsTheNewestLogOfThePromiseMajorityAndAppendsANoOpOfItsEpoch()
    {
        var wire = new Wire();
        var first = wire.Serving();
        wire.Write(1, tag: 1, offset: 0, fill: 1);
        wire.DeliverAll();

        // Only replica 2 gets the next write from the first owner (it is never acknowledged), then owner 3 takes over.
        wire.Write(1, tag: 2, offset: 8, fill: 2);
        wire.InFlight.RemoveAll(m => m.To != 2);
        wire.DeliverAll((_, to, m) => to == 2 && m is Append);
        wire.InFlight.Clear();
        wire.Owners.Remove(1);
        var second = wire.Serving(3);
        var status = second.Status(wire.Now);
        Assert.True(second.Epoch > first.Epoch);
        Assert.Equal(4, status.LastIndex);
        Assert.Equal(2, wire.Contents(3)[8]);
        Assert.Equal(new LogPosition(4, second.Epoch), wire.Replicas[3].Last);
    }

    [Fact]
    public void AnOwnerThatStopsResignsAndTheNextOneServesWithoutWaitingOutItsLease()
    {
        var wire = new Wire();
        var first = wire.Serving(1);
        wire.Advance(wire.Settings.HeartbeatInterval);
        Assert.True(first.LeaseValidAt(wire.Now));

        wire.Take(1, first.Stop(wire.Now));
        Assert.Equal(3, wire.InFlight.Count(m => m.Message is Resign r && r.Epoch == first.Epoch));
        wire.DeliverAll();
        var next = wire.StartOwner(2);
        wire.DeliverAll();

        // The first owner's lease would run for most of another L; the resignation voids it, and older leases are long over.
        Assert.Equal(OwnerState.Serving, next.State);
        Assert.True(next.CanRead(wire.Now));
    }

    [Fact]
    public void WithoutAResignationTheNextOwnerWaitsOutTheLease()
    {
        var wire = new Wire();
        var first = wire.Serving(1);
        wire.Advance(wire.Settings.HeartbeatInterval);

        // The first owner crashes: it sends nothing more. Forged or stale resignations change nothing: one for its epoch from
        // another node, one for an older epoch from it.
        wire.Owners.Remove(1);
        wire.InFlight.Clear();
        foreach (var id in wire.Replicas.Keys)
        {
            wire.Take(2, [new Outgoing(id, new Resign(first.Epoch, 2))]);
            wire.InFlight.Add((1, id, new Resign(first.Epoch - 1, 1)));
        }

        wire.DeliverAll();
        var next = wire.StartOwner(2);
        wire.DeliverAll();
        Assert.Equal(OwnerState.WaitingLease, next.State);
        Assert.False(next.CanRead(wire.Now));
        Assert.False(next.CanRead(first.LeaseExpiry - TimeSpan.FromTicks(1)));
        wire.Advance(wire.Settings.LeaseWait);
        Assert.Equal(OwnerState.Serving, next.State);
    }
}
