namespace IscsiCluster.Storage.Tests;

public sealed class BlockStoreConcurrencyTests : IDisposable
{
    private const int Threads = 8;

    private readonly TempDirectory _dir = new();
    private readonly BlockStore _store;

    public BlockStoreConcurrencyTests()
    {
        _store = BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
    }

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    [Fact]
    public void ThreadsWritingDifferentSlicesOfTheSameChunksLoseNoUpdate()
    {
        // Each thread owns a 512-byte slice of every 4 KiB chunk, so every write is a
        // read-modify-write of a chunk the other threads are modifying at the same time.
        const int chunks = 4;
        const int slice = 4096 / Threads;
        _store.CreateVolume(1, chunks * 4096);
        var lastValue = new byte[Threads, chunks];

        RunThreads(thread =>
        {
            var random = new Random(thread);
            var data = new byte[slice];
            for (var round = 0; round < 500; round++)
            {
                var value = (byte)random.Next(1, 256);
                var chunk = random.Next(chunks);
                Array.Fill(data, value);
                _store.Write(1, (chunk * 4096) + (thread * slice), data, sync: false);
                lastValue[thread, chunk] = value;
            }
        });

        AssertEverySliceHoldsItsLastValue(chunks, lastValue);
    }

    [Fact]
    public void GroupsOfSliceWritesRacingEachOtherLoseNoUpdate()
    {
        // As above, but each thread writes its slices of several chunks as one group, so groups
        // lock many stripes at once while other groups and single writes want the same ones.
        const int chunks = 6;
        const int slice = 4096 / Threads;
        _store.CreateVolume(1, chunks * 4096);
        var lastValue = new byte[Threads, chunks];

        RunThreads(thread =>
        {
            var random = new Random(thread);
            for (var round = 0; round < 200; round++)
            {
                var writes = new BlockWrite[random.Next(1, 5)];
                for (var i = 0; i < writes.Length; i++)
                {
                    var value = (byte)random.Next(1, 256);
                    var chunk = random.Next(chunks);
                    var data = new byte[slice];
                    Array.Fill(data, value);
                    writes[i] = new BlockWrite((chunk * 4096) + (thread * slice), data);
                    lastValue[thread, chunk] = value;
                }

                _store.Write(1, writes, sync: false);
            }
        });

        AssertEverySliceHoldsItsLastValue(chunks, lastValue);
    }

    [Fact]
    public void ThreadsWritingDifferentChunksKeepTheirOwnData()
    {
        _store.CreateVolume(1, Threads * 8 * 4096);
        var expected = new byte[Threads][];

        RunThreads(thread =>
        {
            var random = new Random(100 + thread);
            var region = new byte[8 * 4096];
            for (var round = 0; round < 50; round++)
            {
                var offset = random.Next(region.Length - 1);
                var length = random.Next(1, region.Length - offset);
                var data = new byte[length];
                random.NextBytes(data);
                _store.Write(1, ((long)thread * region.Length) + offset, data, sync: round % 10 == 0);
                data.CopyTo(region, offset);
            }

            expected[thread] = region;
        });

        for (var thread = 0; thread < Threads; thread++)
        {
            var read = new byte[8 * 4096];
            _store.Read(1, (long)thread * read.Length, read);
            Assert.Equal(expected[thread], read);
        }
    }

    [Fact]
    public void OverlappingMultiChunkWritesAreEachAppliedWhole()
    {
        // Every thread fills the same unaligned 5-chunk range with its own byte; writes are
        // serialized per chunk range, so the final range holds a single writer's byte, and no
        // concurrent reader ever sees a chunk mixing two writers.
        const long offset = 1000;
        const int length = 5 * 4096;
        _store.CreateVolume(1, 8 * 4096);
        var torn = 0;

        RunThreads(thread =>
        {
            var data = new byte[length];
            var chunk = new byte[4096];
            for (var round = 0; round < 40; round++)
            {
                Array.Fill(data, (byte)(thread + 1));
                _store.Write(1, offset, data, sync: false);
                _store.Read(1, 4096, chunk);
                if (chunk.AsSpan().ContainsAnyExcept(chunk[0]))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        });

        var read = new byte[length];
        _store.Read(1, offset, read);
        Assert.Equal(0, torn);
        Assert.NotEqual(0, read[0]);
        Assert.False(read.AsSpan().ContainsAnyExcept(read[0]));
    }

    [Fact]
    public void UnmapsRacingWritesOnTheSameChunksLeaveEachChunkWhollyWrittenOrZero()
    {
        _store.CreateVolume(1, 4 * 4096);

        RunThreads(thread =>
        {
            var data = new byte[2 * 4096];
            Array.Fill(data, (byte)(thread + 1));
            for (var round = 0; round < 40; round++)
            {
                if ((thread + round) % 2 == 0)
                {
                    _store.Write(1, 4096, data, sync: false);
                }
                else
                {
                    _store.Unmap(1, 4096 + 100, (2 * 4096) - 200);
                }
            }
        });

        var read = new byte[2 * 4096];
        _store.Read(1, 4096, read);
        var first = read.AsSpan(0, 4096);
        var second = read.AsSpan(4096);

        // Either a write came last (both chunks one byte) or an unmap did (zero between the edges).
        var unmappedLast = !read.AsSpan(100, (2 * 4096) - 200).ContainsAnyExcept((byte)0);
        Assert.True(unmappedLast || (!first.ContainsAnyExcept(read[0]) && !second.ContainsAnyExcept(read[0])));
    }

    /// <summary>Each thread's slice of each chunk holds the last value that thread wrote there (zeros if none).</summary>
    private void AssertEverySliceHoldsItsLastValue(int chunks, byte[,] lastValue)
    {
        const int slice = 4096 / Threads;
        var read = new byte[chunks * 4096];
        _store.Read(1, 0, read);
        for (var chunk = 0; chunk < chunks; chunk++)
        {
            for (var thread = 0; thread < Threads; thread++)
            {
                var owned = read.AsSpan((chunk * 4096) + (thread * slice), slice);
                Assert.False(owned.ContainsAnyExcept(lastValue[thread, chunk]), $"chunk {chunk}, slice of thread {thread}");
            }
        }
    }

    private static void RunThreads(Action<int> body)
    {
        using var start = new Barrier(Threads);
        var errors = new List<Exception>();
        var threads = new Thread[Threads];
        for (var i = 0; i < Threads; i++)
        {
            var thread = i;
            threads[i] = new Thread(() =>
            {
                start.SignalAndWait();
                try
                {
                    body(thread);
                }
                catch (Exception e)
                {
                    lock (errors)
                    {
                        errors.Add(e);
                    }
                }
            });
            threads[i].Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (errors.Count > 0)
        {
            throw new AggregateException(errors);
        }
    }
}
