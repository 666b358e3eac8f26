using System.Buffers.Binary;
using System.Globalization;
using IscsiCluster.Replication.Log;
using BlockStore = IscsiCluster.Storage.BlockStore;
using StoreSnapshot = IscsiCluster.Storage.StoreSnapshot;
using VolumeBatch = IscsiCluster.Storage.VolumeBatch;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// A replica of one LUN in the node's block store: the LUN's bytes are a volume of the store (same offsets), and the
/// replica's durable state lives in the store's metadata area under <c>repl/{volume}/</c>, written in the same RocksDB
/// write as the blocks it describes (<see cref="VolumeBatch"/>). Every write reaches RocksDB's WAL and the OS before
/// the call returns, so a killed process loses nothing; synced writes and promises are fsynced.
/// <code>
///   repl/{volume}/promise              promised epoch (8), owner (4), incarnation (8)
///   repl/{volume}/position             last index (8), last epoch (8), committed (8)
///   repl/{volume}/tail/{index}         epoch (8), range count (4), ranges (offset 8, length 4)
///   repl/{volume}/extent/{extent}      version (8)
///   repl/{volume}/stage/{seq}          a staged catch-up block: session (8), offset (8), length (4), data
/// </code>
/// Numbers in names are 16 hexadecimal digits, so names sort as numbers. Staged catch-up blocks are dropped when the
/// store is opened (a catch-up cut short starts again). The caller (one replica actor) never calls from two threads at once.
/// </summary>
public sealed class BlockStoreReplicaStore : IReplicaStore
{
    private readonly BlockStore _store;
    private readonly ulong _volumeId;
    private readonly string _prefix;
    private LogPosition _last;
    private long _tailStart;
    private long _stageSession = -1;
    private long _stageCount;

    public BlockStoreReplicaStore(BlockStore store, ulong volumeId)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _volumeId = volumeId;
        _prefix = $"repl/{volumeId:x16}/";
    }

    /// <summary>Every metadata name of one volume's replica state starts with this (for deleting a volume).</summary>
    public static string MetadataPrefix(ulong volumeId) => $"repl/{volumeId:x16}/";

    public ReplicaDurableState Load()
    {
        DiscardCatchUp();
        long promised = 0, incarnation = 0;
        var owner = 0;
        if (_store.TryGetMetadata(_prefix + "promise", out var promise) && promise.Length == 20)
        {
            promised = BinaryPrimitives.ReadInt64BigEndian(promise);
            owner = BinaryPrimitives.ReadInt32BigEndian(promise.AsSpan(8));
            incarnation = BinaryPrimitives.ReadInt64BigEndian(promise.AsSpan(12));
        }

        var last = LogPosition.Origin;
        long committed = 0;
        if (_store.TryGetMetadata(_prefix + "position", out var position) && position.Length == 24)
        {
            last = new LogPosition(BinaryPrimitives.ReadInt64BigEndian(position), BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(8)));
            committed = BinaryPrimitives.ReadInt64BigEndian(position.AsSpan(16));
        }

        var tail = _store.ListMetadata(_prefix + "tail/")
            .Select(e => DecodeTail(Number(e.Key), e.Value))
            .ToList();
        var versions = _store.ListMetadata(_prefix + "extent/")
            .Select(e => new ExtentVersion(Number(e.Key), BinaryPrimitives.ReadInt64BigEndian(e.Value)))
            .ToList();
        _last = last;
        _tailStart = tail.Count > 0 ? tail[0].Index : last.Index + 1;
        return new ReplicaDurableState(promised, owner, incarnation, last, committed, tail, versions);
    }

    public void SavePromise(long epoch, int owner, long incarnation)
    {
        var value = new byte[20];
        BinaryPrimitives.WriteInt64BigEndian(value, epoch);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(8), owner);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(12), incarnation);
        _store.PutMetadata(_prefix + "promise", value, sync: true);
    }

    public void Append(AppendBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var write = _store.BeginBatch(_volumeId);
        foreach (var entry in batch.Entries)
        {
            foreach (var range in entry.Ranges)
            {
                Apply(write, range);
            }

            write.PutMetadata(TailName(entry.Index), EncodeTail(entry.ToMetadata()));
        }

        // The tail is contiguous: the entries falling out of it are the lowest ones, deleted one by one.
        var newTailStart = Math.Max(_tailStart, batch.TailStart);
        var lastKept = batch.Entries.Count > 0 ? batch.Entries[^1].Index : _last.Index;
        for (var index = _tailStart; index < newTailStart && index <= lastKept; index++)
        {
            write.DeleteMetadata(TailName(index));
        }

        SetVersions(write, batch.ExtentVersions);
        SetPosition(write, batch.Last, batch.Committed);
        write.Commit(batch.Sync);
        _tailStart = newTailStart;
        _last = batch.Last;
    }

    public BlockRead Read(IReadOnlyList<ByteRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var data = new ReadOnlyMemory<byte>[ranges.Count];
        for (var i = 0; i < data.Length; i++)
        {
            var buffer = new byte[ranges[i].Length];
            _store.Read(_volumeId, ranges[i].Offset, buffer);
            data[i] = buffer;
        }

        return new BlockRead(_last, data);
    }

    public IReplicaSnapshot OpenSnapshot() => new Snapshot(_last, _store.OpenSnapshot(), _volumeId);

    public void StageCatchUp(long session, IReadOnlyList<WriteRange> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (session != _stageSession)
        {
            DiscardCatchUp();
            _stageSession = session;
        }

        using var write = _store.BeginBatch(_volumeId);
        foreach (var block in blocks)
        {
            var value = new byte[20 + block.Data.Length];
            BinaryPrimitives.WriteInt64BigEndian(value, session);
            BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(8), block.Offset);
            BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(16), block.Length);
            block.Data.Span.CopyTo(value.AsSpan(20));
            write.PutMetadata(StageName(_stageCount++), value);
        }

        write.Commit(sync: false);
    }

    public void InstallCatchUp(CatchUpInstall install)
    {
        ArgumentNullException.ThrowIfNull(install);
        using var write = _store.BeginBatch(_volumeId);
        if (install.Session == _stageSession)
        {
            foreach (var staged in _store.ListMetadata(_prefix + "stage/"))
            {
                var value = staged.Value;
                var length = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(16));
                var offset = BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(8));
                Apply(write, value.Length == 20 ? WriteRange.Zero(offset, length) : new WriteRange(offset, length, value.AsMemory(20)));
                write.DeleteMetadata(staged.Key);
            }
        }

        foreach (var block in install.Blocks)
        {
            Apply(write, block);
        }

        foreach (var old in _store.ListMetadata(_prefix + "tail/"))
        {
            write.DeleteMetadata(old.Key);
        }

        foreach (var entry in install.Tail)
        {
            write.PutMetadata(TailName(entry.Index), EncodeTail(entry));
        }

        SetVersions(write, install.ExtentVersions);
        SetPosition(write, install.Last, install.Committed);
        write.Commit(install.Sync);
        _stageSession = -1;
        _stageCount = 0;
        _tailStart = install.Tail.Count > 0 ? install.Tail[0].Index : install.Last.Index + 1;
        _last = install.Last;
    }

    public void DiscardCatchUp()
    {
        var staged = _store.ListMetadata(_prefix + "stage/");
        if (staged.Count > 0)
        {
            using var write = _store.BeginBatch(_volumeId);
            foreach (var entry in staged)
            {
                write.DeleteMetadata(entry.Key);
            }

            write.Commit(sync: false);
        }

        _stageSession = -1;
        _stageCount = 0;
    }

    public void Sync() => _store.Flush();

    private static void Apply(VolumeBatch write, WriteRange range)
    {
        if (range.IsZero)
        {
            write.Zero(range.Offset, range.Length);
        }
        else
        {
            write.Write(range.Offset, range.Data.Span);
        }
    }

    private void SetVersions(VolumeBatch write, IReadOnlyList<ExtentVersion> versions)
    {
        Span<byte> value = stackalloc byte[8];
        foreach (var version in versions)
        {
            BinaryPrimitives.WriteInt64BigEndian(value, version.Version);
            write.PutMetadata($"{_prefix}extent/{version.Extent:x16}", value);
        }
    }

    private void SetPosition(VolumeBatch write, LogPosition last, long committed)
    {
        Span<byte> value = stackalloc byte[24];
        BinaryPrimitives.WriteInt64BigEndian(value, last.Index);
        BinaryPrimitives.WriteInt64BigEndian(value[8..], last.Epoch);
        BinaryPrimitives.WriteInt64BigEndian(value[16..], committed);
        write.PutMetadata(_prefix + "position", value);
    }

    private string TailName(long index) => $"{_prefix}tail/{index:x16}";

    private string StageName(long sequence) => $"{_prefix}stage/{sequence:x16}";

    private static long Number(string name) => long.Parse(name.AsSpan(name.LastIndexOf('/') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static byte[] EncodeTail(EntryMetadata entry)
    {
        var value = new byte[12 + 12 * entry.Ranges.Count];
        BinaryPrimitives.WriteInt64BigEndian(value, entry.Epoch);
        BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(8), entry.Ranges.Count);
        for (var i = 0; i < entry.Ranges.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(12 + 12 * i), entry.Ranges[i].Offset);
            BinaryPrimitives.WriteInt32BigEndian(value.AsSpan(20 + 12 * i), entry.Ranges[i].Length);
        }

        return value;
    }

    private static EntryMetadata DecodeTail(long index, byte[] value)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(8));
        var ranges = new ByteRange[count];
        for (var i = 0; i < count; i++)
        {
            ranges[i] = new ByteRange(BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(12 + 12 * i)), BinaryPrimitives.ReadInt32BigEndian(value.AsSpan(20 + 12 * i)));
        }

        return new EntryMetadata(index, BinaryPrimitives.ReadInt64BigEndian(value), ranges);
    }

    private sealed class Snapshot(LogPosition position, StoreSnapshot snapshot, ulong volumeId) : IReplicaSnapshot
    {
        public LogPosition Position { get; } = position;

        public ReadOnlyMemory<byte> Read(ByteRange range)
        {
            var buffer = new byte[range.Length];
            snapshot.Read(volumeId, range.Offset, buffer);
            return buffer;
        }

        public void Dispose() => snapshot.Dispose();
    }
}
