namespace IscsiCluster.Storage.Tests;

public sealed class RocksDbLibraryTests
{
    [Fact]
    public void TheVersionIsThePackagesWithRocksDbsOwnNumbersFirst()
    {
        Assert.Matches(@"^11\.12\.0\.\d+$", BlockStore.RocksDbVersion);
    }

    /// <summary>The store runs on Debian x64, where the package would otherwise also ship a jemalloc build.</summary>
    [Fact]
    public void ThePlainNativeBuildIsTheOneLoaded()
    {
        var path = BlockStore.RocksDbLibraryPath;

        Assert.Equal("librocksdb.so", Path.GetFileName(path));
        Assert.True(File.Exists(path), path);
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "librocksdb-jemalloc.so")), "the jemalloc build was copied beside it");
        Assert.DoesNotContain(File.ReadLines("/proc/self/maps"), line => line.EndsWith("librocksdb-jemalloc.so", StringComparison.Ordinal));
    }
}
