namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// How a <see cref="RocksDatabase"/> is opened. Sizes are in bytes. Compression is always off:
/// block-device data rarely compresses and the CPU is better spent on the 4 KiB I/O path.
/// The WAL is always written to the OS on every write (no manual WAL flush), so a write that
/// returned survives a crash of the process even without sync.
/// </summary>
public sealed record RocksDbOptions
{
    public const long KiB = 1024;
    public const long MiB = 1024 * KiB;

    /// <summary>Create the database directory (one level) and files when they do not exist.</summary>
    public bool CreateIfMissing { get; init; } = true;

    /// <summary>Capacity of the shared LRU block cache.</summary>
    public long BlockCacheSize { get; init; } = 192 * MiB;

    /// <summary>
    /// Target size of an SST data block (the unit read from disk on a cache miss). Two 4 KiB
    /// chunks a block halve the block fetches of a scan; on a 1 GiB LUN 128 KiB reads cost
    /// about 20-50% less CPU than with 4 KiB blocks while 4 KiB random reads stayed even.
    /// </summary>
    public long TableBlockSize { get; init; } = 8 * KiB;

    /// <summary>Bits per key of the full bloom filter in each SST; 0 disables the filter.</summary>
    public double BloomFilterBitsPerKey { get; init; } = 10;

    /// <summary>Size of one memtable before it is flushed to an SST.</summary>
    public long WriteBufferSize { get; init; } = 32 * MiB;

    /// <summary>Memtables kept in memory (one active, the rest waiting for flush).</summary>
    public int MaxWriteBufferNumber { get; init; } = 4;

    /// <summary>Concurrent background flushes and compactions.</summary>
    public int MaxBackgroundJobs { get; init; } = 4;

    /// <summary>
    /// When positive, <c>optimize_level_style_compaction</c> is applied first with this memtable
    /// budget; the explicit sizes above then override what it chose. 0 leaves it off.
    /// </summary>
    public long LevelStyleCompactionMemtableBudget { get; init; }

    /// <summary>
    /// Keep large values in blob files (BlobDB), so compactions move only keys and references;
    /// blob garbage collection is switched on with it.
    /// </summary>
    public bool EnableBlobFiles { get; init; }

    /// <summary>Smallest value stored in a blob file when <see cref="EnableBlobFiles"/> is on.</summary>
    public long MinBlobSize { get; init; } = 4 * KiB;

    /// <summary>Directory of the write-ahead log; null keeps it in the database directory.</summary>
    public string? WalDirectory { get; init; }

    /// <summary>Total WAL size that forces memtable flushes; 0 lets RocksDB choose (4 times the write buffers).</summary>
    public long MaxTotalWalSize { get; init; }

    /// <summary>Ask the OS to write back the WAL every this many bytes in the background; 0 disables it.</summary>
    public long WalBytesPerSync { get; init; }

    /// <summary>
    /// RocksDB's own diagnostic log (LOG in the database directory) is renamed to LOG.old.* at
    /// every open and when it reaches <see cref="MaxInfoLogFileSize"/>; the oldest beyond this
    /// many files are deleted, so restarts do not pile them up.
    /// </summary>
    public int KeepInfoLogFiles { get; init; } = 10;

    /// <summary>Size at which the diagnostic log starts a new file; 0 = only at each open.</summary>
    public long MaxInfoLogFileSize { get; init; } = 16 * MiB;

    /// <summary>
    /// Checksum of every SST block: computed when flushes and compactions write a block and
    /// verified whenever one is read. The RocksDB package's native library, like Debian's
    /// librocksdb before it, is built without SSE4.2 (it has no crc32 instruction), so its CRC32C
    /// is table-driven and cost about 60% of a 128 KiB scan; XXH3 is several times cheaper and
    /// detects the same damage. Files keep the type they were written with, so a change applies
    /// as files are rewritten.
    /// </summary>
    public BlockChecksum BlockChecksum { get; init; } = BlockChecksum.Xxh3;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(BlockCacheSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TableBlockSize);
        ArgumentOutOfRangeException.ThrowIfNegative(BloomFilterBitsPerKey);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WriteBufferSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxWriteBufferNumber);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxBackgroundJobs);
        ArgumentOutOfRangeException.ThrowIfNegative(LevelStyleCompactionMemtableBudget);
        ArgumentOutOfRangeException.ThrowIfNegative(MinBlobSize);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxTotalWalSize);
        ArgumentOutOfRangeException.ThrowIfNegative(WalBytesPerSync);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(KeepInfoLogFiles);
        ArgumentOutOfRangeException.ThrowIfNegative(MaxInfoLogFileSize);
        if (!Enum.IsDefined(BlockChecksum))
        {
            throw new ArgumentOutOfRangeException(nameof(BlockChecksum), BlockChecksum, "Not a block checksum RocksDB knows.");
        }
    }
}

/// <summary>The SST block checksums RocksDB offers; the values are rocksdb::ChecksumType's.</summary>
public enum BlockChecksum : byte
{
    Crc32c = 1,
    XxHash64 = 3,
    Xxh3 = 4,
}
