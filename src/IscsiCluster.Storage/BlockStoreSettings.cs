using System.Text.Json;
using IscsiCluster.Config;
using IscsiCluster.Storage.RocksDb;

namespace IscsiCluster.Storage;

/// <summary>Reads <see cref="BlockStoreOptions"/> from the <c>iscsi-cluster.storage</c> section (see reference.conf).</summary>
public static class BlockStoreSettings
{
    public const string Section = "iscsi-cluster.storage";

    public static BlockStoreOptions Create(Config.Config config)
    {
        var storage = config.GetConfig(Section);
        var database = storage.GetConfig("database");
        var walDirectory = database.GetString("wal-directory");
        var options = new BlockStoreOptions
        {
            DefaultChunkSize = checked((int)storage.GetByteSize("default-chunk-size")),
            DefaultChunksPerExtent = storage.GetInt("default-chunks-per-extent"),
            Database = new RocksDbOptions
            {
                CreateIfMissing = database.GetBoolean("create-if-missing"),
                BlockCacheSize = database.GetByteSize("block-cache-size"),
                TableBlockSize = database.GetByteSize("table-block-size"),
                BlockChecksum = ParseChecksum(database.GetString("block-checksum")),
                BloomFilterBitsPerKey = database.GetDouble("bloom-filter-bits-per-key"),
                WriteBufferSize = database.GetByteSize("write-buffer-size"),
                MaxWriteBufferNumber = database.GetInt("max-write-buffer-number"),
                MaxBackgroundJobs = database.GetInt("max-background-jobs"),
                LevelStyleCompactionMemtableBudget = database.GetByteSize("level-style-compaction-memtable-budget"),
                EnableBlobFiles = database.GetBoolean("enable-blob-files"),
                MinBlobSize = database.GetByteSize("min-blob-size"),
                WalDirectory = walDirectory.Length == 0 ? null : walDirectory,
                MaxTotalWalSize = database.GetByteSize("max-total-wal-size"),
                WalBytesPerSync = database.GetByteSize("wal-bytes-per-sync"),
                KeepInfoLogFiles = database.GetInt("keep-info-log-files"),
                MaxInfoLogFileSize = database.GetByteSize("max-info-log-file-size"),
            },
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ConfigException($"{Section}.{KeyOf(error.ParamName)}: {Reason(error)}", error);
        }

        return options;
    }

    /// <summary>The configuration key behind a parameter that <see cref="BlockStoreOptions.Validate"/> refused.</summary>
    private static string KeyOf(string? parameter) => parameter switch
    {
        "chunkSize" => "default-chunk-size",
        "chunksPerExtent" => "default-chunks-per-extent",
        null or "" => "database",
        // Every other parameter is a RocksDbOptions property, named like its key in PascalCase.
        _ => "database." + JsonNamingPolicy.KebabCaseLower.ConvertName(parameter),
    };

    /// <summary>The refusal without the exception's parameter and value decorations, and the value given.</summary>
    private static string Reason(ArgumentOutOfRangeException error)
    {
        var message = error.Message;
        var end = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
        if (end >= 0)
        {
            message = message[..end];
        }

        // The ThrowIf helpers begin with "Name ('value') must ...".
        var named = $"{error.ParamName} ('{error.ActualValue}') ";
        if (message.StartsWith(named, StringComparison.Ordinal))
        {
            message = message[named.Length..];
        }

        return $"{message.TrimEnd('.')} (was {error.ActualValue})";
    }

    private static BlockChecksum ParseChecksum(string name) => name.ToLowerInvariant() switch
    {
        "xxh3" => BlockChecksum.Xxh3,
        "xxhash64" => BlockChecksum.XxHash64,
        "crc32c" => BlockChecksum.Crc32c,
        _ => throw new ConfigException(
            $"{Section}.database.block-checksum: '{name}' is not one of xxh3, xxhash64, crc32c"),
    };
}
