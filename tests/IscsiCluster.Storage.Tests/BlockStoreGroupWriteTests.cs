using System.Globalization;
using System.Text.RegularExpressions;

namespace IscsiCluster.Storage.Tests;

public sealed partial class BlockStoreGroupWriteTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly BlockStore _store;

    public BlockStoreGroupWriteTests()
    {
        _store = BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void WritesToDistinctChunksGoToRocksDbAsOneWrite()
    {
        _store.CreateVolume(1, 1 << 20);
        var writes = Enumerable.Range(0, 8)
            .Select(i => new BlockWrite(i * 3 * 4096L, BlockStoreVolumeTests.Pattern(4096, seed: i + 1)))
            .ToArray();
        var before = CumulativeWrites();

        _store.Write(1, writes, sync: true);

        Assert.Equal(before + 1, CumulativeWrites());
        foreach (var (offset, data) in writes)
        {
            var read = new byte[4096];
            _store.Read(1, offset, read);
            Assert.Equal(data.ToArray(), read);
        }
    }

    [Fact]
    public void AWriteTouchingAChunkOfAnEarlierOneInTheGroupSeesIt()
    {
        _store.CreateVolume(1, 1 << 20);
        var first = BlockStoreVolumeTests.Pattern(4096, seed: 1);
        var second = BlockStoreVolumeTests.Pattern(512, seed: 2);
        var before = CumulativeWrites();

        _store.Write(1, [new BlockWrite(0, first), new BlockWrite(1024, second)], sync: false);

        // The partial second write merges into the chunk the first wrote, so it needs a write of its own.
        Assert.Equal(before + 2, CumulativeWrites());
        var expected = first.ToArray();
        second.CopyTo(expected, 1024);
        var read = new byte[4096];
        _store.Read(1, 0, read);
        Assert.Equal(expected, read);
    }

    [Theory]
    [InlineData(512, 1)]
    [InlineData(4096, 2)]
    [InlineData(4096, 3)]
    public void RandomGroupsMatchTheSameWritesMadeOneByOne(int chunkSize, int seed)
    {
        const int Size = 96 * 1024;
        _store.CreateVolume(1, Size, new VolumeLayout(chunkSize, 4));
        var reference = new byte[Size];
        var random = new Random(seed);
        for (var round = 0; round < 40; round++)
        {
            var writes = new BlockWrite[random.Next(1, 12)];
            for (var i = 0; i < writes.Length; i++)
            {
                var aligned = random.Next(2) == 0;
                var offset = aligned ? random.Next(Size / chunkSize) * chunkSize : random.Next(Size);
                var length = Math.Min(Size - offset, aligned ? chunkSize * random.Next(1, 3) : random.Next(2 * chunkSize));
                var data = new byte[length];
                if (random.Next(6) != 0)
                {
                    random.NextBytes(data);
                }

                writes[i] = new BlockWrite(offset, data);
                data.CopyTo(reference, offset);
            }

            _store.Write(1, writes, sync: random.Next(5) == 0);
        }

        var all = new byte[Size];
        _store.Read(1, 0, all);
        Assert.Equal(reference, all);
    }

    [Fact]
    public void AWriteOutsideTheVolumeIsLeftOutAloneAndTheRestOfItsGroupIsWritten()
    {
        _store.CreateVolume(1, 64 * 1024);
        var first = BlockStoreVolumeTests.Pattern(4096, seed: 3);
        var last = BlockStoreVolumeTests.Pattern(4096, seed: 4);
        var before = CumulativeWrites();

        var applied = _store.Write(
            1,
            [new BlockWrite(0, first), new BlockWrite(62 * 1024, first), new BlockWrite(-4096, first), new BlockWrite(8192, last)],
            sync: true);

        Assert.Equal([true, false, false, true], applied);
        Assert.Equal(before + 1, CumulativeWrites());
        var read = new byte[4096];
        _store.Read(1, 0, read);
        Assert.Equal(first, read);
        _store.Read(1, 8192, read);
        Assert.Equal(last, read);
        Assert.Equal(2 * 4096, _store.AllocatedBytes(1));
    }

    [Fact]
    public void AGroupWhoseEveryWriteIsOutsideTheVolumeWritesNothing()
    {
        _store.CreateVolume(1, 64 * 1024);
        var data = BlockStoreVolumeTests.Pattern(4096, seed: 3);

        var applied = _store.Write(1, [new BlockWrite(64 * 1024, data)], sync: false);

        Assert.Equal([false], applied);
        Assert.Equal(0, _store.AllocatedBytes(1));
    }

    [Fact]
    public void AnEmptyGroupWritesNothing()
    {
        _store.CreateVolume(1, 64 * 1024);
        var before = CumulativeWrites();

        _store.Write(1, [new BlockWrite(0, ReadOnlyMemory<byte>.Empty), new BlockWrite(4096, ReadOnlyMemory<byte>.Empty)], sync: true);

        Assert.Equal(before, CumulativeWrites());
        Assert.Equal(0, _store.AllocatedBytes(1));
    }

    /// <summary>RocksDB's count of writes since the database opened (its "Cumulative writes" statistic).</summary>
    private long CumulativeWrites()
    {
        var stats = _store.GetProperty("rocksdb.dbstats") ?? throw new InvalidOperationException("no rocksdb.dbstats");
        var match = CumulativeWritesPattern().Match(stats);
        Assert.True(match.Success, stats);
        var count = match.Groups[1].Value;
        var scale = count.EndsWith('K') ? 1000 : 1;
        return long.Parse(count.TrimEnd('K'), CultureInfo.InvariantCulture) * scale;
    }

    [GeneratedRegex(@"Cumulative writes: (\d+K?) writes")]
    private static partial Regex CumulativeWritesPattern();
}
