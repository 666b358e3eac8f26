namespace IscsiCluster.Storage.Tests;

public sealed class BlockStoreAllocationTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void WholeChunkReadsAndWritesAllocateNoManagedMemory()
    {
        using var store = BlockStore.Open(_dir.Sub("store"), StoreTestOptions.Small);
        store.CreateVolume(1, 1 << 20);
        var data = BlockStoreVolumeTests.Pattern(4 * 4096, seed: 20);
        var read = new byte[4 * 4096];
        void Run(int rounds)
        {
            for (var i = 0; i < rounds; i++)
            {
                var offset = (i % 64) * 4096L;
                store.Write(1, offset, data.AsSpan(0, 4096), sync: false);
                store.Write(1, offset, data, sync: false);
                store.Read(1, offset, read.AsSpan(0, 4096));
                store.Read(1, offset, read);
                store.Write(1, offset + 100, data.AsSpan(0, 5000), sync: false);
                store.Read(1, offset + 100, read.AsSpan(0, 5000));
            }
        }

        Run(200);
        var before = GC.GetAllocatedBytesForCurrentThread();
        Run(500);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
