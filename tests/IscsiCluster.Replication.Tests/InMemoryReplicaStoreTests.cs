using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Storage;
using static IscsiCluster.Replication.Tests.Support.Wire;

namespace IscsiCluster.Replication.Tests;

/// <summary>The in-memory store keeps the contract's crash semantics, which the simulation relies on.</summary>
public sealed class InMemoryReplicaStoreTests
{
    [Fact]
    public void AProcessCrashLosesNothingAppended()
    {
        var store = new InMemoryReplicaStore(64);
        store.Append(Batch(1, 7, sync: false));
        store.Crash();
        Assert.Equal(new LogPosition(1, 1), store.Load().Last);
        Assert.Equal(7, store.Contents()[0]);
    }

    [Fact]
    public void APowerLossKeepsWhatWasSyncedAndAPrefixOfTheRestWholeWritesOnly()
    {
        var store = new InMemoryReplicaStore(64, modelPowerLoss: true);
        store.Append(Batch(1, 1, sync: true));
        store.Append(Batch(2, 2, sync: false));
        store.Append(Batch(3, 3, sync: false));
        store.PowerLoss(keepUnsynced: 1);
        Assert.Equal(new LogPosition(2, 1), store.Load().Last);
        Assert.Equal(2, store.Contents()[0]);
        store.PowerLoss(keepUnsynced: 0);
        Assert.Equal(new LogPosition(2, 1), store.Load().Last);
    }

    [Fact]
    public void APromiseIsSyncedWithEverythingBeforeIt()
    {
        var store = new InMemoryReplicaStore(64, modelPowerLoss: true);
        store.Append(Batch(1, 5, sync: false));
        store.SavePromise(4, 2, 9);
        store.PowerLoss(0);
        Assert.Equal((4L, 2, 9L, 1L), (store.Load().Promised, store.Load().PromisedOwner, store.Load().PromisedIncarnation, store.Load().Last.Index));
    }

    [Fact]
    public void StagedCatchUpBlocksAreInvisibleUntilInstalledAndGoneAfterACrash()
    {
        var store = new InMemoryReplicaStore(64);
        store.StageCatchUp(1, [Bytes(0, 9)]);
        Assert.Equal(0, store.Contents()[0]);
        store.Crash();
        store.InstallCatchUp(new CatchUpInstall(1, [Bytes(8, 4)], new LogPosition(5, 2), 5, [], [], Sync: true));
        Assert.Equal(0, store.Contents()[0]);
        Assert.Equal(4, store.Contents()[8]);

        store.StageCatchUp(2, [Bytes(0, 9)]);
        store.InstallCatchUp(new CatchUpInstall(2, [], new LogPosition(6, 2), 5, [], [], Sync: true));
        Assert.Equal(9, store.Contents()[0]);
        Assert.Equal(new LogPosition(6, 2), store.Load().Last);
    }

    [Fact]
    public void ASnapshotKeepsShowingItsPositionWhateverIsAppendedAfter()
    {
        var store = new InMemoryReplicaStore(64);
        store.Append(Batch(1, 1, sync: false));
        using var snapshot = store.OpenSnapshot();
        store.Append(Batch(2, 2, sync: false));
        Assert.Equal(new LogPosition(1, 1), snapshot.Position);
        Assert.Equal(1, snapshot.Read(new ByteRange(0, 8)).Span[0]);
    }

    private static AppendBatch Batch(long index, byte fill, bool sync) =>
        new([Entry(index, 1, Bytes(0, fill))], new LogPosition(index, 1), 0, 0, [new ExtentVersion(0, index)], sync);
}
