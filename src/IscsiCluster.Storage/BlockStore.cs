using System.Collections.Concurrent;
using IscsiCluster.Storage.RocksDb;
using RocksDbSharp;

namespace IscsiCluster.Storage;

/// <summary>
/// A node's block store: one RocksDB holding the chunks of every volume, the volume records and
/// a small metadata area (see <see cref="StoreKeys"/>). Safe for concurrent callers. Blocks are
/// thin: a chunk that was never written, was unmapped or holds only zeros has no key and reads
/// as zeros. Every write goes to the WAL and the OS before it returns, so it survives the
/// process being killed; with <c>sync</c> (or after <see cref="Flush"/>) it survives power loss.
/// </summary>
public sealed partial class BlockStore : IDisposable
{
    // Store format marker value; a store written by an incompatible format is refused at open.
    private const byte FormatVersion = 1;

    // Write batches kept for reuse by multi-chunk writes.
    private const int MaxPooledBatches = 16;

    private readonly RocksDatabase _db;
    private readonly ConcurrentDictionary<ulong, VolumeInfo> _volumes = new();

    // Each volume's chunk locks, made and dropped with the volume: I/O to one volume never waits on another's.
    private readonly ConcurrentDictionary<ulong, ChunkLocks> _locks = new();

    // Serializes creating, resizing and deleting volumes (taken before a volume's chunk locks).
    private readonly Lock _administration = new();
    private readonly ConcurrentQueue<WriteBatch> _batchPool = new();
    private int _pooledBatches;
    private long _flushes;
    private int _disposed;

    private BlockStore(RocksDatabase db, BlockStoreOptions options)
    {
        _db = db;
        Options = options;
    }

    /// <summary>
    /// The RocksDB under every store, for the node's start-up log: RocksDbSharp's package version,
    /// e.g. <c>11.12.0.7641</c>, whose first three numbers are the bundled RocksDB's own.
    /// </summary>
    public static string RocksDbVersion => RocksDbLibrary.Version;

    /// <summary>The RocksDB native library file the process loaded (loading it on first use).</summary>
    public static string RocksDbLibraryPath => RocksDbLibrary.LoadedPath;

    /// <summary>The settings the store was opened with.</summary>
    public BlockStoreOptions Options { get; }

    /// <summary>The database directory.</summary>
    public string Directory => _db.Path;

    /// <summary>
    /// Opens the block store in <paramref name="directory"/>, creating the directory and an empty
    /// store when missing. Throws RocksDbSharp's <see cref="RocksDbException"/> when RocksDB cannot open it (for
    /// example another store holds it) and <see cref="InvalidDataException"/> for a store of an
    /// unknown format.
    /// </summary>
    public static BlockStore Open(string directory, BlockStoreOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= new BlockStoreOptions();
        options.Validate();
        System.IO.Directory.CreateDirectory(directory);
        var db = RocksDatabase.Open(directory, options.Database);
        try
        {
            var store = new BlockStore(db, options);
            store.CheckFormat();
            store.LoadVolumes();
            return store;
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    /// <summary>Makes every completed write durable: fsyncs the WAL (SYNCHRONIZE CACHE).</summary>
    public void Flush()
    {
        ThrowIfDisposed();
        _db.FlushWal(sync: true);
        Interlocked.Increment(ref _flushes);
    }

    /// <summary>
    /// How many times <see cref="Flush"/> synced the WAL since the store opened, for statistics: RocksDB's own count of
    /// WAL syncs (in <c>rocksdb.dbstats</c>) has only the synced writes.
    /// </summary>
    public long FlushCount => Interlocked.Read(ref _flushes);

    /// <summary>A RocksDB property for statistics, e.g. <c>rocksdb.stats</c>; null when unknown.</summary>
    public string? GetProperty(string name)
    {
        ThrowIfDisposed();
        return _db.GetProperty(name);
    }

    /// <summary>Syncs the WAL and closes the database; only the first call does anything.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            _db.FlushWal(sync: true);
        }
        finally
        {
            _db.Dispose();
            while (_batchPool.TryDequeue(out var batch))
            {
                batch.Dispose();
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private void CheckFormat()
    {
        Span<byte> marker = stackalloc byte[1];
        if (!_db.TryGet(StoreKeys.FormatKey, marker, out var length))
        {
            _db.Put(StoreKeys.FormatKey, [FormatVersion], sync: true);
            return;
        }

        if (length != 1 || marker[0] != FormatVersion)
        {
            throw new InvalidDataException(
                $"The block store in '{_db.Path}' has format {marker[0]} ({length} bytes); this version reads format {FormatVersion}.");
        }
    }

    private WriteBatch RentBatch()
    {
        if (_batchPool.TryDequeue(out var batch))
        {
            Interlocked.Decrement(ref _pooledBatches);
            return batch;
        }

        return new WriteBatch();
    }

    private void ReturnBatch(WriteBatch batch)
    {
        if (Volatile.Read(ref _disposed) == 0 && Interlocked.Increment(ref _pooledBatches) <= MaxPooledBatches)
        {
            batch.Clear();
            _batchPool.Enqueue(batch);
            return;
        }

        Interlocked.Decrement(ref _pooledBatches);
        batch.Dispose();
    }
}
