using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Replica;
using IscsiCluster.Replication.Storage;
using IscsiCluster.Replication.Tests.Support;
using static IscsiCluster.Replication.Tests.Support.Wire;

namespace IscsiCluster.Replication.Tests;

/// <summary>The replica's answers to each message, one at a time (REPLICATION.md "Becoming owner", "Writing", "Catching up").</summary>
public sealed class ReplicaCoreTests
{
    private static readonly TimeSpan T0 = TimeSpan.FromSeconds(10);
    private readonly ReplicationSettings _settings = new Wire().Settings;
    private readonly InMemoryReplicaStore _store = new(128);
    private readonly ReplicaCore _replica;

    public ReplicaCoreTests() => _replica = new ReplicaCore(1, _settings, _store, T0);

    [Fact]
    public void APromiseIsGivenOnlyForAnEpochAboveEveryEarlierPromise()
    {
        Assert.IsType<PromiseGranted>(Single(_replica.Handle(2, new PromiseRequest(5, 2, 11), T0)));
        var refused = Assert.IsType<PromiseRefused>(Single(_replica.Handle(3, new PromiseRequest(4, 3, 12), T0)));
        Assert.Equal(5, refused.Promised);
        Assert.IsType<PromiseRefused>(Single(_replica.Handle(3, new PromiseRequest(5, 3, 12), T0)));
    }

    [Fact]
    public void APromiseIsSyncedBeforeItIsAnswered()
    {
        var syncs = _store.SyncCalls;
        _replica.Handle(2, new PromiseRequest(3, 2, 11), T0);
        Assert.Equal(3, _store.Promised);
        Assert.Equal(syncs + 1, _store.SyncCalls);
        Assert.Equal(3, new ReplicaCore(1, _settings, _store, T0).Promised);
    }

    [Fact]
    public void TheSameRequestOfTheSameOwnerIncarnationIsGrantedAgainButNotOneOfAnotherIncarnation()
    {
        _replica.Handle(2, new PromiseRequest(3, 2, 11), T0);
        Assert.IsType<PromiseGranted>(Single(_replica.Handle(2, new PromiseRequest(3, 2, 11), T0)));
        Assert.IsType<PromiseRefused>(Single(_replica.Handle(2, new PromiseRequest(3, 2, 99), T0)));
    }

    [Fact]
    public void APromiseReportsHowLongAgoTheReplicaLastAcknowledgedAnOlderOwner()
    {
        _replica.Handle(2, new PromiseRequest(1, 2, 11), T0);
        _replica.Handle(2, new Heartbeat(1, 2, LogPosition.Origin, T0), T0 + TimeSpan.FromMilliseconds(100));
        var granted = Assert.IsType<PromiseGranted>(Single(_replica.Handle(3, new PromiseRequest(2, 3, 12), T0 + TimeSpan.FromMilliseconds(250))));
        Assert.Equal(TimeSpan.FromMilliseconds(150), granted.SinceLeaseAck);

        // Asked again later, it still reports the age of that same acknowledgement.
        var again = Assert.IsType<PromiseGranted>(Single(_replica.Handle(3, new PromiseRequest(2, 3, 12), T0 + TimeSpan.FromMilliseconds(300))));
        Assert.Equal(TimeSpan.FromMilliseconds(200), again.SinceLeaseAck);
    }

    [Fact]
    public void AfterARestartTheAgeCountsFromTheStartBecauseWhatCameBeforeIsUnknown()
    {
        _replica.Handle(2, new PromiseRequest(1, 2, 11), T0);
        var restarted = new ReplicaCore(1, _settings, _store, T0 + TimeSpan.FromSeconds(5));
        var granted = Assert.IsType<PromiseGranted>(Single(restarted.Handle(3, new PromiseRequest(2, 3, 12), T0 + TimeSpan.FromSeconds(5.01))));
        Assert.Equal(TimeSpan.FromMilliseconds(10), granted.SinceLeaseAck);
    }

    [Fact]
    public void AnythingOfAnEpochBelowThePromiseIsRefusedAsStale()
    {
        _replica.Handle(2, new PromiseRequest(5, 2, 11), T0);
        ReplicationMessage[] old =
        [
            new Append(4, 3, LogPosition.Origin, [Entry(1, 4, Bytes(0, 1))], 0, false, T0),
            new Heartbeat(4, 3, LogPosition.Origin, T0),
            new SyncRequest(4, 3, T0),
            new DescribeLog(4, 3, 1),
        ];
        foreach (var message in old)
        {
            var stale = Assert.IsType<StaleEpoch>(Single(_replica.Handle(3, message, T0)));
            Assert.Equal((4L, 5L), (stale.Epoch, stale.Promised));
        }

        Assert.Equal(LogPosition.Origin, _replica.Last);
        Assert.Equal(0, _store.AppendCalls);
    }

    [Fact]
    public void AnAppendOfANewerEpochIsPromisedBeforeItIsAppended()
    {
        _replica.Handle(2, new PromiseRequest(2, 2, 11), T0);
        var accepted = Assert.IsType<Accepted>(Single(_replica.Handle(3, new Append(3, 3, LogPosition.Origin, [Entry(1, 3, Bytes(0, 1))], 0, false, T0), T0)));
        Assert.Equal(new LogPosition(1, 3), accepted.Last);
        Assert.Equal(3, _store.Promised);
        Assert.IsType<StaleEpoch>(Single(_replica.Handle(2, new Heartbeat(2, 2, LogPosition.Origin, T0), T0)));
    }

    [Fact]
    public void AnAppendMustFollowTheLastEntryExactlySameIndexIsNotEnough()
    {
        // Entry 2 of epoch 1 is ours; the new owner's log has entry 2 of epoch 2 there. Entry 3 after it must be refused.
        _replica.Handle(2, new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1)), Entry(2, 1, Bytes(8, 2))], 0, false, T0), T0);
        var mismatch = Assert.IsType<LogMismatch>(Single(_replica.Handle(3, new Append(2, 3, new LogPosition(2, 2), [Entry(3, 2, Bytes(0, 3))], 1, false, T0), T0)));
        Assert.Equal(new LogPosition(2, 1), mismatch.Last);
        Assert.Equal(new LogPosition(2, 1), _replica.Last);
    }

    [Fact]
    public void AnAppendAfterAGapIsAMismatch()
    {
        _replica.Handle(2, new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1))], 0, false, T0), T0);
        Assert.IsType<LogMismatch>(Single(_replica.Handle(2, new Append(1, 2, new LogPosition(2, 1), [Entry(3, 1, Bytes(0, 3))], 0, false, T0), T0)));
        Assert.Equal(1, _replica.Last.Index);
    }

    [Fact]
    public void ADuplicateIsAcknowledgedAgainWithoutWritingAndAnOverlappingResendAppendsOnlyWhatIsNew()
    {
        var append = new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1)), Entry(2, 1, Bytes(8, 2))], 0, false, T0);
        _replica.Handle(2, append, T0);
        var calls = _store.AppendCalls;
        Assert.Equal(new LogPosition(2, 1), Assert.IsType<Accepted>(Single(_replica.Handle(2, append, T0))).Last);
        Assert.Equal(calls, _store.AppendCalls);

        var resend = new Append(1, 2, new LogPosition(1, 1), [Entry(2, 1, Bytes(8, 2)), Entry(3, 1, Bytes(16, 3))], 0, false, T0);
        Assert.Equal(new LogPosition(3, 1), Assert.IsType<Accepted>(Single(_replica.Handle(2, resend, T0))).Last);
        Assert.Equal(3, _store.Contents()[16]);
    }

    [Fact]
    public void AppendsHandledTogetherGoToTheStoreAsOneWriteBeforeAnyAnswer()
    {
        var appends = Enumerable.Range(1, 3)
            .Select(i => new Incoming(2, new Append(1, 2, new LogPosition(i - 1, i == 1 ? 0 : 1), [Entry(i, 1, Bytes(8 * i, (byte)i))], 0, false, T0)))
            .ToArray();
        var answers = _replica.Handle(appends, T0);
        Assert.Equal(1, _store.AppendCalls);
        Assert.Equal(3, answers.Count);
        Assert.All(answers, a => Assert.Equal(new LogPosition(3, 1), Assert.IsType<Accepted>(a.Message).Last));
    }

    [Fact]
    public void AFuaAppendIsSyncedBeforeItsAnswerAndAPlainOneIsNot()
    {
        var plain = Assert.IsType<Accepted>(Single(_replica.Handle(2, new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1))], 0, false, T0), T0)));
        var syncs = _store.SyncCalls;
        Assert.True(plain.Synced < 1);
        var fua = Assert.IsType<Accepted>(Single(_replica.Handle(2, new Append(1, 2, new LogPosition(1, 1), [Entry(2, 1, Bytes(8, 2))], 0, true, T0), T0)));
        Assert.Equal(2, fua.Synced);
        Assert.Equal(syncs + 1, _store.SyncCalls);
    }

    [Fact]
    public void UnsyncedAppendsAreSyncedInTheBackground()
    {
        _replica.Handle(2, new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1))], 0, false, T0), T0);
        _replica.Tick(T0 + _settings.BackgroundSyncInterval);
        Assert.Equal(1, _replica.Synced);
    }

    [Fact]
    public void AHeartbeatRecordsTheCommittedIndexOnlyWhenThisLogHoldsThatVeryEntry()
    {
        _replica.Handle(2, new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1)), Entry(2, 1, Bytes(8, 2))], 0, false, T0), T0);
        _replica.Handle(3, new Heartbeat(2, 3, new LogPosition(2, 2), T0), T0);
        Assert.Equal(0, _replica.Committed);
        _replica.Handle(3, new Heartbeat(2, 3, new LogPosition(1, 1), T0), T0);
        Assert.Equal(1, _replica.Committed);
    }

    [Fact]
    public void AMalformedAppendIsIgnored()
    {
        ReplicationMessage[] malformed =
        [
            new Append(1, 2, LogPosition.Origin, [Entry(1, 2, Bytes(0, 1))], 0, false, T0),
            new Append(1, 2, LogPosition.Origin, [Entry(2, 1, Bytes(0, 1))], 0, false, T0),
            new Append(1, 2, LogPosition.Origin, [Entry(1, 1, Bytes(124, 1))], 0, false, T0),
            new Append(1, 2, LogPosition.Origin, [Entry(1, 1, new WriteRange(0, 8, new byte[3]))], 0, false, T0),
            new Append(1, 2, LogPosition.Origin, [], 0, false, T0),
        ];
        foreach (var message in malformed)
        {
            Assert.Empty(_replica.Handle(2, message, T0));
        }

        Assert.Equal(LogPosition.Origin, _replica.Last);
    }

    [Fact]
    public void TheTailIsBoundedAndExtentVersionsNameTheLastEntryThatChangedEachExtent()
    {
        for (var i = 1; i <= 10; i++)
        {
            var offset = i % 2 == 0 ? 0 : 40;
            _replica.Handle(2, new Append(1, 2, new LogPosition(i - 1, i == 1 ? 0 : 1), [Entry(i, 1, Bytes(offset, (byte)i))], 0, false, T0), T0);
        }

        var state = _store.Load();
        Assert.Equal([7L, 8, 9, 10], state.Tail.Select(t => t.Index));
        Assert.Equal([new ExtentVersion(0, 10), new ExtentVersion(1, 9)], _replica.ExtentVersions);

        // Both extents changed again within the tail: the store records no version, and a restart finds them in the tail.
        Assert.Empty(state.ExtentVersions);
        Assert.Equal(_replica.ExtentVersions, new ReplicaCore(1, _settings, _store, T0).ExtentVersions);
    }

    [Fact]
    public void TheVersionOfAnExtentIsRecordedWhenTheEntryThatLastChangedItLeavesTheTail()
    {
        for (var i = 1; i <= 6; i++)
        {
            var offset = i == 1 ? 40 : 0;
            _replica.Handle(2, new Append(1, 2, new LogPosition(i - 1, i == 1 ? 0 : 1), [Entry(i, 1, Bytes(offset, (byte)i))], 0, false, T0), T0);
        }

        // Entry 1, the last change of extent 1, left the four-entry tail with entry 5; entries 2 and 3 were not the last
        // change of extent 0, so nothing is recorded for it.
        Assert.Equal([new ExtentVersion(1, 1)], _store.Load().ExtentVersions);
        Assert.Equal([new ExtentVersion(0, 6), new ExtentVersion(1, 1)], new ReplicaCore(1, _settings, _store, T0).ExtentVersions);
    }

    [Fact]
    public void ACatchUpIsInstalledAtTheSourceSnapshotPositionAllAtOnce()
    {
        var wire = new Wire();
        var source = wire.Replicas[1];
        var target = wire.Replicas[2];
        var now = Start;
        source.Handle(9, new PromiseRequest(1, 9, 1), now);
        target.Handle(9, new PromiseRequest(1, 9, 1), now);
        for (var i = 1; i <= 6; i++)
        {
            source.Handle(9, new Append(1, 9, new LogPosition(i - 1, i == 1 ? 0 : 1), [Entry(i, 1, Bytes(8 * i, (byte)i, 16))], 0, false, now), now);
        }

        var description = Assert.IsType<LogDescription>(Single(target.Handle(9, new DescribeLog(1, 9, 1), now)));
        var chunk = Assert.IsType<CatchUpChunk>(Single(source.Handle(9, new CatchUpStart(1, 9, 1, 2, description), now)));
        var chunks = 0;
        while (true)
        {
            chunks++;
            var answer = Single(target.Handle(1, chunk, now));
            var ack = Assert.IsType<CatchUpChunkAck>(answer);
            if (ack.Installed)
            {
                Assert.Equal(source.Last, ack.Position);
                break;
            }

            // Until the last chunk, nothing of the catch-up is visible.
            Assert.Equal(LogPosition.Origin, target.Last);
            Assert.All(wire.Contents(2), b => Assert.Equal(0, b));
            chunk = Assert.IsType<CatchUpChunk>(Single(source.Handle(9, new CatchUpContinue(1, 9, 1, ack.Chunk + 1), now)));
        }

        Assert.True(chunks > 1);
        Assert.Equal(source.Last, target.Last);
        Assert.Equal(wire.Contents(1), wire.Contents(2));
        Assert.Equal(wire.Stores[1].Load().Tail.Select(t => t.Position), wire.Stores[2].Load().Tail.Select(t => t.Position));
    }

    [Fact]
    public void ACatchUpIsRefusedWhenTheTargetLogChangedSinceItWasDescribed()
    {
        var wire = new Wire(adjust: s => s with { CatchUpChunkBytes = 1024 });
        var (source, target, now) = (wire.Replicas[1], wire.Replicas[2], Start);
        source.Handle(9, new Append(1, 9, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1)), Entry(2, 1, Bytes(8, 2))], 0, false, now), now);
        var description = Assert.IsType<LogDescription>(Single(target.Handle(9, new DescribeLog(1, 9, 1), now)));
        var chunk = Assert.IsType<CatchUpChunk>(Single(source.Handle(9, new CatchUpStart(1, 9, 1, 2, description), now)));
        target.Handle(9, new Append(1, 9, LogPosition.Origin, [Entry(1, 1, Bytes(0, 1))], 0, false, now), now);
        var failed = Assert.IsType<CatchUpFailed>(Single(target.Handle(1, chunk, now)));
        Assert.Equal(CatchUpFailure.TargetChanged, failed.Reason);
        Assert.Equal(new LogPosition(1, 1), target.Last);
    }

    [Fact]
    public void ASourceThatHasNotPromisedTheOwnersEpochRefusesToServeACatchUp()
    {
        var description = new LogDescription(2, 1, LogPosition.Origin, 0, [], []);
        var failed = Assert.IsType<CatchUpFailed>(Single(_replica.Handle(9, new CatchUpStart(2, 9, 1, 2, description), T0)));
        Assert.Equal(CatchUpFailure.NotSource, failed.Reason);
    }

    private static ReplicationMessage Single(IReadOnlyList<Outgoing> output) => Assert.Single(output).Message;
}
