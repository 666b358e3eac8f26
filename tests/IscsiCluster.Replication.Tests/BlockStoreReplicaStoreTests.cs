using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Replica;
using IscsiCluster.Replication.Storage;
using IscsiCluster.Replication.Tests.Support;
using IscsiCluster.Storage;

namespace IscsiCluster.Replication.Tests;

/// <summary>The production replica store: the replica's state and blocks in the node's RocksDB block store.</summary>
public sealed class BlockStoreReplicaStoreTests : IDisposable
{
    private const ulong Volume = 0x42;
    private const long Size = 1 << 20;
    private const int Slots = 8;
    private readonly List<string> _directories = [];
    private readonly List<BlockStore> _open = [];

    [Fact]
    public void AppendsPromisesAndPositionSurviveAReopen()
    {
        var directory = NewDirectory();
        var store = Open(directory);
        var replica = new BlockStoreReplicaStore(store, Volume, Slots);
        Assert.Equal(ReplicaDurableState.Empty with { Tail = [], ExtentVersions = [] }, replica.Load() with { Tail = [], ExtentVersions = [] });

        replica.SavePromise(5, 2, 77);
        replica.Append(new AppendBatch(
            [Entry(1, 5, 0, 0xAA, 4096), Entry(2, 5, 8192, 0xBB, 100)],
            new LogPosition(2, 5), 1, TailStart: 1, [new ExtentVersion(0, 2)], Sync: false));
        Close(store);

        var reopened = new BlockStoreReplicaStore(Open(directory), Volume, Slots);
        var state = reopened.Load();
        Assert.Equal((5L, 2, 77L), (state.Promised, state.PromisedOwner, state.PromisedIncarnation));
        Assert.Equal(new LogPosition(2, 5), state.Last);
        Assert.Equal(1, state.Committed);
        Assert.Equal([1L, 2L], state.Tail.Select(t => t.Index));
        Assert.Equal([new ByteRange(8192, 100)], state.Tail[1].Ranges);
        Assert.Equal([new ExtentVersion(0, 2)], state.ExtentVersions);
        var read = reopened.Read([new ByteRange(0, 4096), new ByteRange(8192, 100), new ByteRange(8292, 4)]);
        Assert.Equal(new LogPosition(2, 5), read.Position);
        Assert.All(read.Data[0].ToArray(), b => Assert.Equal(0xAA, b));
        Assert.All(read.Data[1].ToArray(), b => Assert.Equal(0xBB, b));
        Assert.All(read.Data[2].ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void TheTailKeepsOnlyItsRecentEntriesAndZeroRangesClearBlocks()
    {
        var store = Open(NewDirectory());
        var replica = new BlockStoreReplicaStore(store, Volume, Slots);
        replica.Load();
        for (var index = 1; index <= 10; index++)
        {
            replica.Append(new AppendBatch([Entry(index, 1, index * 512, (byte)index, 512)], new LogPosition(index, 1), index - 1, TailStart: Math.Max(1, index - 3), [], Sync: false));
        }

        replica.Append(new AppendBatch([new LogEntry(11, 1, [WriteRange.Zero(5 * 512, 1024)])], new LogPosition(11, 1), 10, TailStart: 8, [], Sync: true));

        var state = new BlockStoreReplicaStore(store, Volume, Slots).Load();
        Assert.Equal([8L, 9L, 10L, 11L], state.Tail.Select(t => t.Index));
        var read = replica.Read([new ByteRange(5 * 512, 1024), new ByteRange(7 * 512, 512)]);
        Assert.All(read.Data[0].ToArray(), b => Assert.Equal(0, b));
        Assert.All(read.Data[1].ToArray(), b => Assert.Equal(7, b));
    }

    [Fact]
    public void ACatchUpInstallsStagedAndFinalBlocksAndItsPositionTogetherAndAReopenDropsAStagedOne()
    {
        var directory = NewDirectory();
        var store = Open(directory);
        var replica = new BlockStoreReplicaStore(store, Volume, Slots);
        replica.Load();
        replica.StageCatchUp(9, [new WriteRange(0, 512, Fill(0x11, 512))]);
        replica.StageCatchUp(9, [new WriteRange(600, 10, Fill(0x22, 10))]);
        Assert.All(replica.Read([new ByteRange(0, 512)]).Data[0].ToArray(), b => Assert.Equal(0, b));

        replica.InstallCatchUp(new CatchUpInstall(9, [WriteRange.Zero(0, 100)], new LogPosition(30, 4), 29,
            [new EntryMetadata(30, 4, [new ByteRange(0, 100)])], [new ExtentVersion(0, 30)], Sync: true));

        var read = replica.Read([new ByteRange(0, 100), new ByteRange(100, 412), new ByteRange(600, 10)]);
        Assert.Equal(new LogPosition(30, 4), read.Position);
        Assert.All(read.Data[0].ToArray(), b => Assert.Equal(0, b));
        Assert.All(read.Data[1].ToArray(), b => Assert.Equal(0x11, b));
        Assert.All(read.Data[2].ToArray(), b => Assert.Equal(0x22, b));
        Assert.Equal([30L], new BlockStoreReplicaStore(store, Volume, Slots).Load().Tail.Select(t => t.Index));

        // A session cut short by a restart leaves nothing behind.
        replica.StageCatchUp(10, [new WriteRange(2048, 512, Fill(0x33, 512))]);
        Close(store);
        var reopened = new BlockStoreReplicaStore(Open(directory), Volume, Slots);
        reopened.Load();
        reopened.InstallCatchUp(new CatchUpInstall(10, [], new LogPosition(31, 4), 30, [], [], Sync: false));
        Assert.All(reopened.Read([new ByteRange(2048, 512)]).Data[0].ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void ASnapshotShowsTheBlocksOfItsPositionWhateverIsAppendedLater()
    {
        var store = Open(NewDirectory());
        var replica = new BlockStoreReplicaStore(store, Volume, Slots);
        replica.Load();
        replica.Append(new AppendBatch([Entry(1, 1, 0, 0x01, 4096)], new LogPosition(1, 1), 0, 1, [], false));
        using var snapshot = replica.OpenSnapshot();
        replica.Append(new AppendBatch([Entry(2, 1, 0, 0x02, 4096)], new LogPosition(2, 1), 1, 1, [], false));

        Assert.Equal(new LogPosition(1, 1), snapshot.Position);
        Assert.All(snapshot.Read(new ByteRange(0, 4096)).ToArray(), b => Assert.Equal(0x01, b));
        Assert.All(replica.Read([new ByteRange(0, 4096)]).Data[0].ToArray(), b => Assert.Equal(0x02, b));
    }

    [Fact]
    public void TheProtocolRunsOverRocksDbAndAReturningReplicaCatchesUp()
    {
        var stores = new Dictionary<int, BlockStore>();
        var wire = new Wire(3, settings => settings with { SizeBytes = 64 * 1024, ExtentBytes = 16 * 1024, TailEntries = 8, CatchUpChunkBytes = 4096 }, id =>
        {
            stores[id] = Open(NewDirectory());
            stores[id].ResizeVolume(Volume, 64 * 1024);
            return new BlockStoreReplicaStore(stores[id], Volume, Slots);
        });
        var owner = wire.Serving(1);
        var random = new Random(5);
        var expected = new byte[64 * 1024];
        void Write(long tag, Func<int, int, bool>? drop = null)
        {
            var offset = random.Next(0, 128) * 512;
            var data = new byte[512 * random.Next(1, 4)];
            random.NextBytes(data);
            var length = Math.Min(data.Length, expected.Length - offset);
            wire.Take(1, owner.Submit(new WriteRequest(tag, [new WriteRange(offset, length, data.AsMemory(0, length))]), wire.Now));
            data.AsSpan(0, length).CopyTo(expected.AsSpan(offset));
        }

        for (var tag = 1; tag <= 50; tag++)
        {
            Write(tag);
            wire.DeliverAll();
        }

        // Replica 3 misses forty writes (more than its tail), then comes back.
        wire.Drop = (from, to, _) => to == 3 || from == 3;
        for (var tag = 51; tag <= 90; tag++)
        {
            Write(tag);
            wire.DeliverAll();
        }

        wire.Drop = (_, _, _) => false;
        bool AllCaughtUp()
        {
            var status = owner.Status(wire.Now);
            return status.Replicas.All(r => r.Health == ReplicaHealth.InSync && r.MatchIndex == status.LastIndex);
        }

        for (var waited = 0; !AllCaughtUp(); waited += 10)
        {
            Assert.True(waited < 20_000, $"replica 3 never caught up: {owner.Status(wire.Now)}");
            wire.Advance(TimeSpan.FromMilliseconds(10));
        }

        Assert.Equal(90, wire.Completions.Count(c => c.Status == CompletionStatus.Succeeded));
        foreach (var (id, store) in stores)
        {
            var contents = new byte[expected.Length];
            store.Read(Volume, 0, contents);
            Assert.True(expected.AsSpan().SequenceEqual(contents), $"replica {id} differs");
        }
    }

    [Fact]
    public void WhatIsLoadedAgreesWithTheInMemoryModelWhateverTheWritesInstallsAndReopens()
    {
        Check.One(FsCheck.Config.QuickThrowOnFailure.WithMaxTest(25), Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), seed =>
        {
            var random = new Random(seed);
            var directory = NewDirectory();
            var store = Open(directory);
            var slots = random.Next(1, 6);
            var disk = new BlockStoreReplicaStore(store, Volume, slots);
            var model = new InMemoryReplicaStore(Size);
            disk.Load();
            var last = LogPosition.Origin;
            long committed = 0, tailStart = 1, session = 0;
            for (var step = 0; step < 60; step++)
            {
                var choice = random.Next(100);
                if (choice < 70)
                {
                    var entries = new List<LogEntry>();
                    var epoch = random.Next(4) == 0 ? last.Epoch + 1 : Math.Max(1, last.Epoch);
                    for (var n = random.Next(0, 4); n > 0; n--)
                    {
                        last = new LogPosition(last.Index + 1, epoch);
                        entries.Add(new LogEntry(last.Index, epoch, [RandomRange(random)]));
                    }

                    committed = random.NextInt64(committed, last.Index + 1);
                    tailStart = Math.Clamp(last.Index + 1 - random.Next(0, slots + 1), tailStart, last.Index + 1);
                    var batch = new AppendBatch(entries, last, committed, tailStart, RandomVersions(random, last.Index), random.Next(5) == 0);
                    disk.Append(batch);
                    model.Append(batch);
                }
                else if (choice < 85)
                {
                    session++;
                    last = new LogPosition(Math.Max(0, last.Index + random.Next(-3, 6)), last.Epoch + 1);
                    var length = (int)Math.Min(random.Next(0, slots + 1), last.Index);
                    var tail = Enumerable.Range(0, length)
                        .Select(i => new EntryMetadata(last.Index - length + 1 + i, last.Epoch, [RandomRange(random).Range]))
                        .ToArray();
                    committed = random.NextInt64(0, last.Index + 1);
                    tailStart = length > 0 ? tail[0].Index : last.Index + 1;
                    WriteRange[] staged = [RandomRange(random), RandomRange(random)];
                    disk.StageCatchUp(session, staged);
                    model.StageCatchUp(session, staged);
                    var install = new CatchUpInstall(session, [RandomRange(random)], last, committed, tail, RandomVersions(random, last.Index), Sync: true);
                    disk.InstallCatchUp(install);
                    model.InstallCatchUp(install);
                }
                else
                {
                    Close(store);
                    store = Open(directory);
                    // The tail may now be longer or shorter than before (the store keeps at least as many slots as ever).
                    slots = Math.Max(1, slots + random.Next(-1, 3));
                    disk = new BlockStoreReplicaStore(store, Volume, slots);
                }

                var expected = model.Load();
                var actual = disk.Load();
                Assert.Equal((expected.Last, expected.Committed), (actual.Last, actual.Committed));
                Assert.Equal(Describe(expected.Tail), Describe(actual.Tail));
                Assert.Equal(expected.ExtentVersions, actual.ExtentVersions);
                var contents = new byte[Size];
                store.Read(Volume, 0, contents);
                Assert.True(model.Contents().AsSpan().SequenceEqual(contents), $"seed {seed}, step {step}: the blocks differ");
            }

            Close(store);
        }));
    }

    [Fact]
    public void AStoreInTheLayoutBeforeSlotsIsLaidOutAgainWithNothingLost()
    {
        var directory = NewDirectory();
        var store = Open(directory);
        var position = new byte[24];
        BinaryPrimitives.WriteInt64BigEndian(position, 12);
        BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(8), 3);
        BinaryPrimitives.WriteInt64BigEndian(position.AsSpan(16), 11);
        store.PutMetadata($"repl/{Volume:x16}/position", position, sync: false);
        foreach (var index in new long[] { 11, 12 })
        {
            var entry = new byte[24];
            BinaryPrimitives.WriteInt64BigEndian(entry, 3);
            BinaryPrimitives.WriteInt32BigEndian(entry.AsSpan(8), 1);
            BinaryPrimitives.WriteInt64BigEndian(entry.AsSpan(12), index * 512);
            BinaryPrimitives.WriteInt32BigEndian(entry.AsSpan(20), 512);
            store.PutMetadata($"repl/{Volume:x16}/tail/{index:x16}", entry, sync: false);
        }

        var replica = new BlockStoreReplicaStore(store, Volume, Slots);
        var state = replica.Load();
        Assert.Equal((new LogPosition(12, 3), 11L), (state.Last, state.Committed));
        Assert.Equal("11@3:5632+512 12@3:6144+512", Describe(state.Tail));
        Assert.Empty(store.ListMetadata($"repl/{Volume:x16}/tail/"));

        replica.Append(new AppendBatch([Entry(13, 3, 0, 0x01, 512)], new LogPosition(13, 3), 12, TailStart: 11, [], Sync: false));
        Close(store);
        var reopened = new BlockStoreReplicaStore(Open(directory), Volume, Slots).Load();
        Assert.Equal((new LogPosition(13, 3), 12L), (reopened.Last, reopened.Committed));
        Assert.Equal([11L, 12L, 13L], reopened.Tail.Select(t => t.Index));
    }

    [Fact]
    public void ATailLongerThanTheSlotsIsRefusedAndNothingIsWritten()
    {
        var store = Open(NewDirectory());
        var replica = new BlockStoreReplicaStore(store, Volume, 2);
        Assert.Throws<InvalidOperationException>(() => replica.Append(new AppendBatch([Entry(1, 1, 0, 1, 512)], new LogPosition(1, 1), 0, 1, [], false)));
        replica.Load();
        replica.Append(new AppendBatch([Entry(1, 1, 0, 1, 512), Entry(2, 1, 0, 2, 512)], new LogPosition(2, 1), 0, 1, [], false));
        Assert.Throws<InvalidOperationException>(() => replica.Append(new AppendBatch([Entry(3, 1, 0, 3, 512)], new LogPosition(3, 1), 0, 1, [], false)));
        Assert.Equal(new LogPosition(2, 1), new BlockStoreReplicaStore(store, Volume, 2).Load().Last);
    }

    public void Dispose()
    {
        foreach (var store in _open)
        {
            store.Dispose();
        }

        foreach (var directory in _directories)
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static LogEntry Entry(long index, long epoch, long offset, byte value, int length) =>
        new(index, epoch, [new WriteRange(offset, length, Fill(value, length))]);

    private static WriteRange RandomRange(Random random)
    {
        var offset = random.Next(0, (int)(Size / 512) - 4) * 512L + random.Next(0, 3) * 100;
        var length = random.Next(1, 1500);
        if (random.Next(6) == 0)
        {
            return WriteRange.Zero(offset, length);
        }

        var data = new byte[length];
        random.NextBytes(data);
        return new WriteRange(offset, length, data);
    }

    private static ExtentVersion[] RandomVersions(Random random, long last) =>
        Enumerable.Range(0, random.Next(0, 3)).Select(_ => new ExtentVersion(random.Next(0, 8), random.NextInt64(0, last + 1))).DistinctBy(v => v.Extent).ToArray();

    private static string Describe(IEnumerable<EntryMetadata> tail) =>
        string.Join(' ', tail.Select(e => $"{e.Index}@{e.Epoch}:{string.Join(',', e.Ranges.Select(r => $"{r.Offset}+{r.Length}"))}"));

    private static byte[] Fill(byte value, int length) => Enumerable.Repeat(value, length).ToArray();

    private string NewDirectory()
    {
        var directory = Directory.CreateTempSubdirectory("iscsi-cluster-replica-").FullName;
        _directories.Add(directory);
        return directory;
    }

    private BlockStore Open(string directory)
    {
        var store = BlockStore.Open(directory);
        if (!store.TryGetVolume(Volume, out _))
        {
            store.CreateVolume(Volume, Size);
        }

        _open.Add(store);
        return store;
    }

    private void Close(BlockStore store)
    {
        store.Dispose();
        _open.Remove(store);
    }
}
