namespace IscsiCluster.Storage.Tests;

public sealed class BlockStoreIoTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly BlockStore _store;

    public BlockStoreIoTests()
    {
        _store = BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void UnwrittenBytesReadAsZerosAndAllocateNothing()
    {
        _store.CreateVolume(1, 1 << 20);
        var read = new byte[100_000];
        Array.Fill(read, (byte)0xAA);

        _store.Read(1, 12_345, read);

        Assert.All(read, b => Assert.Equal(0, b));
        Assert.Equal(0, _store.AllocatedBytes(1));
    }

    [Fact]
    public void AWholeChunkWriteReadsBackAndAllocatesOneChunk()
    {
        _store.CreateVolume(1, 1 << 20);
        var data = BlockStoreVolumeTests.Pattern(4096, seed: 5);

        _store.Write(1, 8192, data, sync: true);

        var read = new byte[4096];
        _store.Read(1, 8192, read);
        Assert.Equal(data, read);
        Assert.Equal(4096, _store.AllocatedBytes(1));
    }

    [Fact]
    public void WritingZerosStoresNoChunk()
    {
        _store.CreateVolume(1, 1 << 20);
        _store.Write(1, 0, BlockStoreVolumeTests.Pattern(3 * 4096, seed: 6), sync: false);

        _store.Write(1, 0, new byte[2 * 4096], sync: false);
        _store.Write(1, 2 * 4096, new byte[4096], sync: false);

        Assert.Equal(0, _store.AllocatedBytes(1));
        var read = new byte[3 * 4096];
        _store.Read(1, 0, read);
        Assert.All(read, b => Assert.Equal(0, b));
    }

    [Fact]
    public void APartialWriteKeepsTheRestOfItsChunk()
    {
        _store.CreateVolume(1, 1 << 20);
        var original = BlockStoreVolumeTests.Pattern(4096, seed: 7);
        _store.Write(1, 0, original, sync: false);

        _store.Write(1, 100, new byte[] { 1, 2, 3 }, sync: false);

        var expected = (byte[])original.Clone();
        expected[100] = 1;
        expected[101] = 2;
        expected[102] = 3;
        var read = new byte[4096];
        _store.Read(1, 0, read);
        Assert.Equal(expected, read);
    }

    [Fact]
    public void AReadOverManyChunksReturnsStoredChunksAndZerosForTheGapsBetweenThem()
    {
        _store.CreateVolume(1, 1 << 20);
        var stored = BlockStoreVolumeTests.Pattern(4096, seed: 8);
        _store.Write(1, 2 * 4096, stored, sync: false);
        _store.Write(1, 5 * 4096, stored, sync: false);
        var read = new byte[(7 * 4096) - 300];
        Array.Fill(read, (byte)0xAA);

        // From byte 100 of chunk 0 to byte 3996 of chunk 6: chunks 0-1, 3-4 and 6 have no key.
        _store.Read(1, 100, read);

        var expected = new byte[read.Length];
        stored.CopyTo(expected, (2 * 4096) - 100);
        stored.CopyTo(expected, (5 * 4096) - 100);
        Assert.Equal(expected, read);
    }

    [Fact]
    public void AReadOfAsManyChunksAsPointLookupsServeReturnsStoredChunksAndZerosForTheGaps()
    {
        _store.CreateVolume(1, 1 << 20);
        var stored = BlockStoreVolumeTests.Pattern(4096, seed: 10);
        _store.Write(1, 10 * 4096, stored, sync: false);
        _store.Write(1, 12 * 4096, stored, sync: false);
        var span = BlockStore.MaxPointReadChunks;
        var read = new byte[(span * 4096) - 700];
        Array.Fill(read, (byte)0xAA);

        // From byte 300 of chunk 10 to byte 3695 of chunk 10 + span - 1: chunks 11 and 13 have no key.
        _store.Read(1, (10 * 4096) + 300, read);

        var expected = new byte[read.Length];
        stored.AsSpan(300).CopyTo(expected);
        stored.AsSpan(0, Math.Min(4096, read.Length - ((2 * 4096) - 300))).CopyTo(expected.AsSpan((2 * 4096) - 300));
        Assert.Equal(expected, read);
    }

    [Fact]
    public void AReadOverManyChunksStartsAndEndsInsideStoredChunks()
    {
        _store.CreateVolume(1, 1 << 20);
        var data = BlockStoreVolumeTests.Pattern(4 * 4096, seed: 9);
        _store.Write(1, 4096, data, sync: false);

        var read = new byte[(3 * 4096) - 1000];
        _store.Read(1, 4096 + 500, read);

        Assert.Equal(data.AsSpan(500, read.Length).ToArray(), read);
    }

    [Theory]
    [InlineData(4096 + 10, 100)]
    [InlineData(4096 - 10, 4096)]
    public void AStoredChunkOfTheWrongLengthFailsTheReadAsCorrupt(long offset, int length)
    {
        var directory = _dir.Sub("corrupt");
        using (var store = BlockStore.Open(directory, StoreTestOptions.Small))
        {
            store.CreateVolume(1, 1 << 20);
        }

        using (var db = RocksDb.RocksDatabase.Open(directory, StoreTestOptions.Small.Database))
        {
            var key = new byte[StoreKeys.ChunkKeyLength];
            StoreKeys.WriteChunkKey(key, 1, 1);
            db.Put(key, new byte[100]);
        }

        using var reopened = BlockStore.Open(directory, StoreTestOptions.Small);
        var read = new byte[length];
        Assert.Throws<InvalidDataException>(() => reopened.Read(1, offset, read));
    }

    [Theory]
    [InlineData(512, 64 * 1024, 1)]
    [InlineData(4096, 256 * 1024, 2)]
    [InlineData(4096, (200 * 1024) + 1000, 3)]
    [InlineData(65536, 300 * 1024, 4)]
    public void RandomWritesReadsAndUnmapsMatchAReferenceArray(int chunkSize, long volumeSize, int seed)
    {
        _store.CreateVolume(1, volumeSize, new VolumeLayout(chunkSize, 4));
        var reference = new byte[volumeSize];
        var random = new Random(seed);
        var size = (int)volumeSize;

        for (var step = 0; step < 300; step++)
        {
            var aligned = random.Next(2) == 0;
            var offset = aligned ? random.Next(size / chunkSize) * chunkSize : random.Next(size);
            var maxLength = Math.Min(size - offset, 3 * chunkSize);
            var length = aligned ? Math.Min(maxLength, chunkSize * random.Next(1, 4)) : random.Next(maxLength + 1);
            switch (random.Next(10))
            {
                case < 5:
                    var data = new byte[length];
                    if (random.Next(5) != 0)
                    {
                        random.NextBytes(data);
                    }

                    _store.Write(1, offset, data, sync: random.Next(10) == 0);
                    data.CopyTo(reference, offset);
                    break;
                case < 7:
                    _store.Unmap(1, offset, length);
                    Array.Clear(reference, offset, length);
                    break;
                default:
                    var read = new byte[length];
                    _store.Read(1, offset, read);
                    Assert.Equal(reference.AsSpan(offset, length).ToArray(), read);
                    break;
            }
        }

        var all = new byte[volumeSize];
        _store.Read(1, 0, all);
        Assert.Equal(reference, all);
        Assert.Equal(CountNonZeroChunks(reference, chunkSize) * chunkSize, _store.AllocatedBytes(1));
    }

    [Fact]
    public void UnmapOfWholeChunksMakesThemReadZeroAndDropsAllocatedBytes()
    {
        _store.CreateVolume(1, 64 * 4096);
        var data = BlockStoreVolumeTests.Pattern(64 * 4096, seed: 8);
        _store.Write(1, 0, data, sync: false);
        Assert.Equal(64 * 4096, _store.AllocatedBytes(1));

        _store.Unmap(1, 4 * 4096, 40 * 4096);

        Assert.Equal(24 * 4096, _store.AllocatedBytes(1));
        var read = new byte[64 * 4096];
        _store.Read(1, 0, read);
        Assert.Equal(data[..(4 * 4096)], read[..(4 * 4096)]);
        Assert.All(read[(4 * 4096)..(44 * 4096)], b => Assert.Equal(0, b));
        Assert.Equal(data[(44 * 4096)..], read[(44 * 4096)..]);
    }

    [Fact]
    public void UnmapWithUnalignedEdgesZeroesOnlyTheRangeAndFreesChunksLeftEmpty()
    {
        _store.CreateVolume(1, 8 * 4096);
        var data = BlockStoreVolumeTests.Pattern(8 * 4096, seed: 9);
        _store.Write(1, 0, data, sync: false);

        _store.Unmap(1, 4096 + 10, (3 * 4096) - 20);
        _store.Unmap(1, 6 * 4096, 100);
        _store.Unmap(1, (6 * 4096) + 100, 4096 - 100);

        var expected = (byte[])data.Clone();
        Array.Clear(expected, 4096 + 10, (3 * 4096) - 20);
        Array.Clear(expected, 6 * 4096, 4096);
        var read = new byte[8 * 4096];
        _store.Read(1, 0, read);
        Assert.Equal(expected, read);
        Assert.Equal(6 * 4096, _store.AllocatedBytes(1));
    }

    [Fact]
    public void UnmapToTheEndOfAnOddSizedVolumeFreesItsLastChunk()
    {
        _store.CreateVolume(1, (2 * 4096) + 512);
        _store.Write(1, 0, BlockStoreVolumeTests.Pattern((2 * 4096) + 512, seed: 10), sync: false);

        _store.Unmap(1, 2 * 4096, 512);

        Assert.Equal(2 * 4096, _store.AllocatedBytes(1));
    }

    [Theory]
    [InlineData(-1, 1)]
    [InlineData(0, 4097)]
    [InlineData(4096, 1)]
    [InlineData(4000, 200)]
    [InlineData(long.MaxValue, 1)]
    public void RangesOutsideTheVolumeAreRefusedBeforeAnythingIsWritten(long offset, int length)
    {
        _store.CreateVolume(1, 4096);
        var data = BlockStoreVolumeTests.Pattern(length, seed: 11);

        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Write(1, offset, data, sync: false));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Read(1, offset, new byte[length]));
        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Unmap(1, offset, length));
        Assert.Equal(0, _store.AllocatedBytes(1));
    }

    [Fact]
    public void ANegativeUnmapLengthIsRefused()
    {
        _store.CreateVolume(1, 4096);

        Assert.Throws<ArgumentOutOfRangeException>(() => _store.Unmap(1, 10, -1));
    }

    [Fact]
    public void EmptyRangesAtTheEndOfTheVolumeDoNothing()
    {
        _store.CreateVolume(1, 4096);

        _store.Write(1, 4096, ReadOnlySpan<byte>.Empty, sync: true);
        _store.Read(1, 4096, Span<byte>.Empty);
        _store.Unmap(1, 4096, 0);

        Assert.Equal(0, _store.AllocatedBytes(1));
    }

    [Fact]
    public void VolumesDoNotSeeEachOthersChunks()
    {
        _store.CreateVolume(1, 8192);
        _store.CreateVolume(2, 8192);
        _store.Write(1, 0, BlockStoreVolumeTests.Pattern(8192, seed: 12), sync: false);

        _store.Unmap(2, 0, 8192);

        var read = new byte[8192];
        _store.Read(2, 0, read);
        Assert.All(read, b => Assert.Equal(0, b));
        Assert.Equal(8192, _store.AllocatedBytes(1));
    }

    [Fact]
    public void FlushedWritesSurviveReopen()
    {
        _store.CreateVolume(1, 8192);
        var data = BlockStoreVolumeTests.Pattern(5000, seed: 13);
        _store.Write(1, 1000, data, sync: false);

        _store.Flush();
        _store.Dispose();

        using var reopened = BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
        var read = new byte[5000];
        reopened.Read(1, 1000, read);
        Assert.Equal(data, read);
    }

    private static long CountNonZeroChunks(byte[] volume, int chunkSize)
    {
        long count = 0;
        for (var start = 0; start < volume.Length; start += chunkSize)
        {
            if (volume.AsSpan(start, Math.Min(chunkSize, volume.Length - start)).ContainsAnyExcept((byte)0))
            {
                count++;
            }
        }

        return count;
    }
}
