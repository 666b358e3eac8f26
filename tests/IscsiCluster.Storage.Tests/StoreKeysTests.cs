namespace IscsiCluster.Storage.Tests;

public sealed class StoreKeysTests
{
    [Fact]
    public void ChunkKeysSortByVolumeThenChunkIndexNumerically()
    {
        var ordered = new (ulong Volume, long Chunk)[]
        {
            (0, 0), (0, 1), (0, 255), (0, 256), (0, long.MaxValue), (1, 0), (256, 3), (ulong.MaxValue, 0),
        };

        var keys = ordered.Select(p =>
        {
            var key = new byte[StoreKeys.ChunkKeyLength];
            StoreKeys.WriteChunkKey(key, p.Volume, p.Chunk);
            return key;
        }).ToList();

        for (var i = 1; i < keys.Count; i++)
        {
            Assert.True(keys[i - 1].AsSpan().SequenceCompareTo(keys[i]) < 0, $"{ordered[i - 1]} < {ordered[i]}");
        }
    }

    [Fact]
    public void AVolumesChunkAreaEndsBeforeTheNextVolumeAndAfterItsLastChunk()
    {
        var end = new byte[StoreKeys.ChunkKeyLength];
        var last = new byte[StoreKeys.ChunkKeyLength];
        var next = new byte[StoreKeys.ChunkKeyLength];

        StoreKeys.WriteChunkAreaEnd(end, 5);
        StoreKeys.WriteChunkKey(last, 5, long.MaxValue);
        StoreKeys.WriteChunkKey(next, 6, 0);

        Assert.True(last.AsSpan().SequenceCompareTo(end) < 0);
        Assert.True(end.AsSpan().SequenceCompareTo(next) < 0);
    }

    [Theory]
    [InlineData(new byte[] { 3, 0x61 }, new byte[] { 3, 0x62 })]
    [InlineData(new byte[] { 3, 0x61, 0xFF }, new byte[] { 3, 0x62 })]
    [InlineData(new byte[] { 3 }, new byte[] { 4 })]
    public void PrefixEndIsTheSmallestKeyAfterEveryPrefixedKey(byte[] prefix, byte[] expected)
    {
        Assert.Equal(expected, StoreKeys.PrefixEnd(prefix));
    }

    [Fact]
    public void VolumeRecordsRoundTripAndUnknownVersionsAreRefused()
    {
        var volume = new VolumeInfo(42, 123_456_789, new VolumeLayout(8192, 1000));
        var record = new byte[VolumeRecord.Length];

        VolumeRecord.Write(record, volume);
        Assert.Equal(volume, VolumeRecord.Read(42, record));

        record[0] = 2;
        Assert.Throws<InvalidDataException>(() => VolumeRecord.Read(42, record));
        Assert.Throws<InvalidDataException>(() => VolumeRecord.Read(42, record.AsSpan(0, 5)));
    }

    [Fact]
    public void ChunkLockRangesThatWrapAroundTheStripesStillExcludeEachOther()
    {
        // Chunk StripeCount takes stripe 0, so every range below covers it while starting near the
        // top of the stripe table.
        var locks = new ChunkLocks();
        var inside = 0;
        var overlaps = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 2000; i++)
            {
                var below = 1 + ((i + t) % 5);
                using (locks.Acquire(ChunkLocks.StripeCount - below, below + 1 + (t % 3)))
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        Interlocked.Increment(ref overlaps);
                    }

                    Thread.SpinWait(20);
                    Interlocked.Decrement(ref inside);
                }
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal(0, overlaps);
    }
}
