namespace IscsiCluster.Storage.Tests;

public sealed class BlockStoreVolumeTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void CreatedVolumesAreListedInIdOrderWithTheirLayout()
    {
        using var store = Open();

        store.CreateVolume(9, 1 << 20);
        store.CreateVolume(2, 8192, new VolumeLayout(512, 16));

        var volumes = store.ListVolumes();
        Assert.Equal([2UL, 9UL], volumes.Select(v => v.Id));
        Assert.Equal(new VolumeInfo(2, 8192, new VolumeLayout(512, 16)), volumes[0]);
        Assert.Equal(4096, volumes[1].Layout.ChunkSize);
        Assert.True(store.TryGetVolume(9, out var nine));
        Assert.Equal(1 << 20, nine.SizeBytes);
        Assert.False(store.TryGetVolume(3, out _));
    }

    [Fact]
    public void CreatingAnExistingVolumeThrowsAndKeepsTheFirst()
    {
        using var store = Open();
        store.CreateVolume(1, 4096);

        var error = Assert.Throws<VolumeAlreadyExistsException>(() => store.CreateVolume(1, 8192));

        Assert.Equal(1UL, error.VolumeId);
        Assert.True(store.TryGetVolume(1, out var volume));
        Assert.Equal(4096, volume.SizeBytes);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void CreatingAVolumeOfNoBytesIsRefused(long size)
    {
        using var store = Open();

        Assert.Throws<ArgumentOutOfRangeException>(() => store.CreateVolume(1, size));
        Assert.Empty(store.ListVolumes());
    }

    [Theory]
    [InlineData(256)]
    [InlineData(3000)]
    [InlineData(2 * 1024 * 1024)]
    public void ChunkSizesThatAreNotPowersOfTwoInRangeAreRefused(int chunkSize)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new VolumeLayout(chunkSize, 1));
    }

    [Fact]
    public void VolumesAndTheirDataSurviveDisposeAndReopen()
    {
        var data = Pattern(10_000, seed: 1);
        using (var store = Open())
        {
            store.CreateVolume(5, 64 * 1024, new VolumeLayout(1024, 8));
            store.Write(5, 100, data, sync: false);
        }

        using var reopened = Open();
        Assert.True(reopened.TryGetVolume(5, out var volume));
        Assert.Equal(new VolumeInfo(5, 64 * 1024, new VolumeLayout(1024, 8)), volume);
        var read = new byte[data.Length];
        reopened.Read(5, 100, read);
        Assert.Equal(data, read);
    }

    [Fact]
    public void DeleteVolumeFreesItsDataSoARecreatedVolumeReadsZeros()
    {
        using var store = Open();
        store.CreateVolume(1, 64 * 1024);
        store.CreateVolume(2, 64 * 1024);
        store.Write(1, 0, Pattern(64 * 1024, seed: 2), sync: false);
        store.Write(2, 0, Pattern(4096, seed: 3), sync: false);

        Assert.True(store.DeleteVolume(1));

        Assert.False(store.TryGetVolume(1, out _));
        Assert.Throws<VolumeNotFoundException>(() => store.AllocatedBytes(1));
        Assert.False(store.DeleteVolume(1));
        store.CreateVolume(1, 64 * 1024);
        Assert.Equal(0, store.AllocatedBytes(1));
        var read = new byte[64 * 1024];
        store.Read(1, 0, read);
        Assert.All(read, b => Assert.Equal(0, b));
        Assert.Equal(4096, store.AllocatedBytes(2));
    }

    [Fact]
    public void DeleteVolumeGivesBackTheDiskSpaceOfItsData()
    {
        using (var store = Open())
        {
            store.CreateVolume(1, 4 << 20);
            store.CreateVolume(2, 4096);
            store.Write(1, 0, Pattern(4 << 20, seed: 14), sync: false);
            store.Write(2, 0, Pattern(4096, seed: 15), sync: false);
        }

        // Reopening replays the WAL into an SST, so the data is on disk before the delete.
        using var reopened = Open();
        Assert.True(SstBytes(reopened) >= 4 << 20);

        reopened.DeleteVolume(1);

        Assert.True(SstBytes(reopened) < 1 << 20, $"{SstBytes(reopened)} bytes of SST left");
        var read = new byte[4096];
        reopened.Read(2, 0, read);
        Assert.Equal(Pattern(4096, seed: 15), read);
    }

    [Fact]
    public void ShrinkingAVolumeDropsItsTailSoGrowingAgainReadsZeros()
    {
        using var store = Open();
        store.CreateVolume(1, 40_000, new VolumeLayout(4096, 4));
        var data = Pattern(40_000, seed: 4);
        store.Write(1, 0, data, sync: false);

        var shrunk = store.ResizeVolume(1, 10_000);
        Assert.Equal(10_000, shrunk.SizeBytes);
        Assert.Equal(3 * 4096, store.AllocatedBytes(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => store.Read(1, 9_000, new byte[2_000]));

        store.ResizeVolume(1, 40_000);
        var read = new byte[40_000];
        store.Read(1, 0, read);
        Assert.Equal(data.AsSpan(0, 10_000).ToArray(), read[..10_000]);
        Assert.All(read[10_000..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void OperationsOnAMissingVolumeThrowVolumeNotFound()
    {
        using var store = Open();

        Assert.Throws<VolumeNotFoundException>(() => store.Read(4, 0, new byte[1]));
        Assert.Throws<VolumeNotFoundException>(() => store.Write(4, 0, new byte[1], sync: false));
        Assert.Throws<VolumeNotFoundException>(() => store.Unmap(4, 0, 1));
        Assert.Throws<VolumeNotFoundException>(() => store.ResizeVolume(4, 10));
    }

    [Fact]
    public void ExtentsGroupConsecutiveChunksAndTheLastExtentIsClippedToTheVolume()
    {
        var volume = new VolumeInfo(7, (10 * 4096) + 1, new VolumeLayout(4096, 4));

        Assert.Equal(11, volume.ChunkCount);
        Assert.Equal(3, volume.ExtentCount);
        Assert.Equal(new ExtentId(7, 0), volume.ExtentOf(4 * 4096 - 1));
        Assert.Equal(new ExtentId(7, 1), volume.ExtentOf(4 * 4096));
        Assert.Equal(new ExtentId(7, 2), volume.ExtentOf(10 * 4096));
        Assert.Equal((4L, 4L), volume.ChunksOf(new ExtentId(7, 1)));
        Assert.Equal((8L, 3L), volume.ChunksOf(new ExtentId(7, 2)));
        Assert.Throws<ArgumentOutOfRangeException>(() => volume.ChunksOf(new ExtentId(7, 3)));
        Assert.Throws<ArgumentException>(() => volume.ChunksOf(new ExtentId(8, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => volume.ExtentOf(volume.SizeBytes));
    }

    [Fact]
    public void OpeningAStoreTwiceFailsWhileTheFirstIsOpen()
    {
        using var store = Open();

        Assert.Throws<RocksDbSharp.RocksDbException>(() => Open());
    }

    [Fact]
    public void DisposeIsIdempotentAndLaterCallsThrowObjectDisposed()
    {
        var store = Open();
        store.CreateVolume(1, 4096);

        store.Dispose();
        store.Dispose();

        Assert.Throws<ObjectDisposedException>(() => store.Read(1, 0, new byte[1]));
        Assert.Throws<ObjectDisposedException>(() => store.Flush());
        using var reopened = Open();
        Assert.True(reopened.TryGetVolume(1, out _));
    }

    [Fact]
    public void StatisticsComeFromRocksDbProperties()
    {
        using var store = Open();

        Assert.NotNull(store.GetProperty("rocksdb.stats"));
        Assert.Null(store.GetProperty("rocksdb.unknown"));
    }

    private BlockStore Open() => BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);

    private static long SstBytes(BlockStore store) => long.Parse(store.GetProperty("rocksdb.total-sst-files-size")!, System.Globalization.CultureInfo.InvariantCulture);

    internal static byte[] Pattern(int length, int seed)
    {
        var data = new byte[length];
        new Random(seed).NextBytes(data);
        return data;
    }
}
