using IscsiCluster.Storage.RocksDb;

namespace IscsiCluster.Storage.Tests;

public sealed class RocksDbOptionsTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void EveryOptionReachesRocksDbAsRecordedInItsOptionsFile()
    {
        var options = new RocksDbOptions
        {
            BlockCacheSize = 8 * RocksDbOptions.MiB,
            TableBlockSize = 16 * RocksDbOptions.KiB,
            WriteBufferSize = 3 * RocksDbOptions.MiB,
            MaxWriteBufferNumber = 3,
            MaxBackgroundJobs = 2,
            LevelStyleCompactionMemtableBudget = 32 * RocksDbOptions.MiB,
            EnableBlobFiles = true,
            MinBlobSize = 1000,
            MaxTotalWalSize = 50 * RocksDbOptions.MiB,
            WalBytesPerSync = RocksDbOptions.MiB,
        };

        using (RocksDatabase.Open(_dir.Sub("db"), options))
        {
        }

        var written = File.ReadAllText(Directory.GetFiles(_dir.Sub("db"), "OPTIONS-*").Order(StringComparer.Ordinal).Last());
        Assert.Contains("block_size=16384", written, StringComparison.Ordinal);
        Assert.Contains("filter_policy=bloomfilter", written, StringComparison.Ordinal);
        Assert.Contains("write_buffer_size=3145728", written, StringComparison.Ordinal);
        Assert.Contains("max_write_buffer_number=3", written, StringComparison.Ordinal);
        Assert.Contains("max_background_jobs=2", written, StringComparison.Ordinal);
        Assert.Contains("  compression=kNoCompression", written, StringComparison.Ordinal);
        Assert.DoesNotContain("compression_per_level=k", written, StringComparison.Ordinal);
        Assert.Contains("enable_blob_files=true", written, StringComparison.Ordinal);
        Assert.Contains("enable_blob_garbage_collection=true", written, StringComparison.Ordinal);
        Assert.Contains("min_blob_size=1000", written, StringComparison.Ordinal);
        Assert.Contains("max_total_wal_size=52428800", written, StringComparison.Ordinal);
        Assert.Contains("wal_bytes_per_sync=1048576", written, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutABloomFilterNoFilterPolicyIsSet()
    {
        using (RocksDatabase.Open(_dir.Sub("db"), new RocksDbOptions { BloomFilterBitsPerKey = 0 }))
        {
        }

        var written = File.ReadAllText(Directory.GetFiles(_dir.Sub("db"), "OPTIONS-*").Order(StringComparer.Ordinal).Last());
        Assert.Contains("filter_policy=nullptr", written, StringComparison.Ordinal);
    }
}
