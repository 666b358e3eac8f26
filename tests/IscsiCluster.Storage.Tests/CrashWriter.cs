namespace IscsiCluster.Storage.Tests;

/// <summary>
/// The test assembly's entry point, so that a test can run a store in a child process and kill it:
/// <c>dotnet exec IscsiCluster.Storage.Tests.dll crash-writer DIR</c> writes <see cref="Writes"/>
/// without sync or Flush, prints <see cref="WrittenLine"/> once every write has returned, then
/// waits to be killed. Without arguments it does nothing (what the test SDK's generated entry
/// point did).
/// </summary>
public static class CrashWriter
{
    public const string Command = "crash-writer";
    public const string WrittenLine = "written";
    public const ulong VolumeId = 7;
    public const long VolumeSize = 4L << 20;

    /// <summary>Offset, length and pattern seed of each write: whole, partial and multi-chunk, some overlapping.</summary>
    public static readonly (long Offset, int Length, int Seed)[] Writes =
    [
        (0, 4096, 1),
        (8192, 3 * 4096, 2),
        (100_000, 5000, 3),
        (1 << 20, 64 * 1024, 4),
        (8192 + 100, 300, 5),
        ((3L << 20) + 17, 128 * 1024, 6),
    ];

    public static int Main(string[] args)
    {
        if (args.Length != 2 || args[0] != Command)
        {
            return 0;
        }

        // Dropped without Dispose: the process is killed while the store is open.
        var store = BlockStore.Open(args[1], StoreTestOptions.Small);
        store.CreateVolume(VolumeId, VolumeSize);
        foreach (var (offset, length, seed) in Writes)
        {
            store.Write(VolumeId, offset, BlockStoreVolumeTests.Pattern(length, seed), sync: false);
        }

        store.PutMetadata("crash/unsynced", "still here"u8, sync: false);
        Console.Out.WriteLine(WrittenLine);
        Console.Out.Flush();
        Thread.Sleep(Timeout.Infinite);
        GC.KeepAlive(store);
        return 1;
    }

    /// <summary>The volume's expected content after <see cref="Writes"/>, in order.</summary>
    public static byte[] Expected()
    {
        var volume = new byte[VolumeSize];
        foreach (var (offset, length, seed) in Writes)
        {
            BlockStoreVolumeTests.Pattern(length, seed).CopyTo(volume, offset);
        }

        return volume;
    }
}
