using System.Globalization;
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
            KeepInfoLogFiles = 4,
            MaxInfoLogFileSize = 2 * RocksDbOptions.MiB,
            BlockChecksum = BlockChecksum.XxHash64,
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
        Assert.Contains("checksum=kxxHash64", written, StringComparison.Ordinal);
        Assert.Contains("keep_log_file_num=4", written, StringComparison.Ordinal);
        Assert.Contains("max_log_file_size=2097152", written, StringComparison.Ordinal);
    }

    [Fact]
    public void RestartsKeepOnlyTheConfiguredNumberOfDiagnosticLogs()
    {
        var path = _dir.Sub("db");
        var options = new RocksDbOptions { KeepInfoLogFiles = 3 };
        for (var start = 0; start < 6; start++)
        {
            using var db = RocksDatabase.Open(path, options);
            db.Put("k"u8, "v"u8);
        }

        // The current LOG and the newest LOG.old files, three in all; the rest were deleted.
        var logs = Directory.GetFiles(path, "LOG*").Select(Path.GetFileName).ToList();
        Assert.Equal(3, logs.Count);
        Assert.Contains("LOG", logs);
        using var reopened = RocksDatabase.Open(path, options);
        Assert.Equal("v"u8.ToArray(), reopened.Get("k"u8));
    }

    [Theory]
    [InlineData(BlockChecksum.Crc32c)]
    [InlineData(BlockChecksum.Xxh3)]
    public void TableFilesWrittenWithOneChecksumReadBackUnderAnother(BlockChecksum first)
    {
        var value = new byte[4096];
        new Random(7).NextBytes(value);
        var path = _dir.Sub("db");
        using (var db = RocksDatabase.Open(path, new RocksDbOptions { BlockChecksum = first }))
        {
            db.Put("chunk"u8, value);
            db.CompactRange(default, default); // flushes the memtable into a table file
        }

        var second = first == BlockChecksum.Xxh3 ? BlockChecksum.Crc32c : BlockChecksum.Xxh3;
        using var reopened = RocksDatabase.Open(path, new RocksDbOptions { BlockChecksum = second });

        var tableFiles = Enumerable.Range(0, 7).Sum(level => int.Parse(reopened.GetProperty($"rocksdb.num-files-at-level{level}")!, CultureInfo.InvariantCulture));
        Assert.Equal(1, tableFiles);
        Assert.Equal(value, reopened.Get("chunk"u8));
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
