using IscsiCluster.Storage.RocksDb;
using IscsiCluster.Config;

namespace IscsiCluster.Storage.Tests;

public sealed class BlockStoreSettingsTests
{
    private static Config.Config Reference()
        => ConfigFactory.FromResource(typeof(BlockStore).Assembly, "IscsiCluster.Storage.reference.conf");

    [Fact]
    public void TheReferenceConfigurationGivesTheDefaultOptions()
    {
        var options = BlockStoreSettings.Create(Reference());

        Assert.Equal(new BlockStoreOptions().DefaultChunkSize, options.DefaultChunkSize);
        Assert.Equal(new BlockStoreOptions().Database, options.Database);
    }

    [Fact]
    public void AnOverrideWinsOverTheReference()
    {
        var config = Config.Config.ParseString("iscsi-cluster.storage.database { block-cache-size = 32 MiB, enable-blob-files = yes }", "node.conf")
            .WithFallback(Reference());

        var options = BlockStoreSettings.Create(config);

        Assert.Equal(32L * 1024 * 1024, options.Database.BlockCacheSize);
        Assert.True(options.Database.EnableBlobFiles);
    }

    [Fact]
    public void AValueOfTheWrongTypeNamesTheKey()
    {
        var config = Config.Config.ParseString("iscsi-cluster.storage.database.write-buffer-size = lots", "node.conf")
            .WithFallback(Reference());

        var error = Assert.Throws<ConfigException>(() => BlockStoreSettings.Create(config));

        Assert.Contains("write-buffer-size", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("xxh3", BlockChecksum.Xxh3)]
    [InlineData("XXHASH64", BlockChecksum.XxHash64)]
    [InlineData("crc32c", BlockChecksum.Crc32c)]
    public void TheBlockChecksumIsChosenByName(string name, BlockChecksum expected)
    {
        var config = Config.Config.ParseString($"iscsi-cluster.storage.database.block-checksum = {name}", "node.conf")
            .WithFallback(Reference());

        Assert.Equal(expected, BlockStoreSettings.Create(config).Database.BlockChecksum);
    }

    [Fact]
    public void AnUnknownBlockChecksumIsRefusedWithTheChoices()
    {
        var config = Config.Config.ParseString("iscsi-cluster.storage.database.block-checksum = md5", "node.conf")
            .WithFallback(Reference());

        var error = Assert.Throws<ConfigException>(() => BlockStoreSettings.Create(config));

        Assert.Contains("block-checksum", error.Message, StringComparison.Ordinal);
        Assert.Contains("xxh3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("database.write-buffer-size = 0", "iscsi-cluster.storage.database.write-buffer-size: must be a non-negative and non-zero value (was 0)")]
    [InlineData("database.keep-info-log-files = 0", "iscsi-cluster.storage.database.keep-info-log-files: must be a non-negative and non-zero value (was 0)")]
    [InlineData("database.max-total-wal-size = -1", "iscsi-cluster.storage.database.max-total-wal-size: must be a non-negative value (was -1)")]
    [InlineData("default-chunk-size = 3000", "iscsi-cluster.storage.default-chunk-size: The chunk size must be a power of two from 512 to 1048576 bytes (was 3000)")]
    [InlineData("default-chunks-per-extent = 0", "iscsi-cluster.storage.default-chunks-per-extent: must be a non-negative and non-zero value (was 0)")]
    public void AnOutOfRangeValueIsRefusedUnderItsKey(string setting, string expected)
    {
        var config = Config.Config.ParseString($"iscsi-cluster.storage.{setting}", "node.conf")
            .WithFallback(Reference());

        var error = Assert.Throws<ConfigException>(() => BlockStoreSettings.Create(config));

        Assert.Equal(expected, error.Message);
    }
}
