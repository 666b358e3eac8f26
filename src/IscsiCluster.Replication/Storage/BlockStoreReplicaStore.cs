using System.Buffers.Binary;
using System.Globalization;
using IscsiCluster.Replication.Log;
using BlockStore = IscsiCluster.Storage.BlockStore;
using MetadataEntry = IscsiCluster.Storage.MetadataEntry;
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
///   repl/{volume}/slots                number of tail slots (4)
///   repl/{volume}/slot/{n}             a tail entry, in slot index mod slots: the log's end as of that write (see position),
///                                      then the entry: epoch (8), range count (4), ranges (offset 8, length 4)
///   repl/{volume}/position             last index (8), last epoch (8), committed (8), tail start (8); only written when
///                                      no entry is: batches without entries, catch-up installs
///   repl/{volume}/extent/{extent}      version (8), as far as the tail does not give a later one
///   repl/{volume}/stage/{seq}          a staged catch-up block: session (8), offset (8), length (4), data
/// </code>
/// A write of entries adds one small record per entry beside its blocks: slots are overwritten in place (no tombstones), the
/// newest slot tells where the log ends (no separate position), and extent versions come with the write only for entries
/// leaving the tail (<see cref="AppendBatch.ExtentVersions"/>). Loading reads the newer of the newest slot and the position
/// record, and keeps the slots from its tail start on; older slots are stale and wait to be overwritten. The number of
/// slots only grows (a restart with a larger tail lays the slots out again), so a slot never holds an entry still in the tail
/// when it is overwritten. Numbers in names are 16 hexadecimal digits, so names sort as numbers. Staged catch-up blocks are
/// dropped when the store is opened (a catch-up cut short starts again). The caller (one replica actor) never calls from
/// two threads at once.
/// </summary>
public sealed class BlockStoreReplicaStore : IReplicaStore
{
    private const int EndBytes = 32;

    private readonly BlockStore _store;
    private readonly ulong _volumeId;
    private readonly string _prefix;
    private readonly int _tailEntries;
    private LogPosition _last;
    private int _slots;
    private long _stageSession = -1;
    private long _stageCount;

    /// <param name="store">The node's block store.</param>
    /// <param name="volumeId">The volume holding the LUN.</param>
    /// <param name="tailEntries">The most entries the replica keeps in its tail (<see cref="ReplicationSettings.TailEntries"/>).</param>
    public BlockStoreReplicaStore(BlockStore store, ulong volumeId, int tailEntries)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tailEntries);
        _store = store;
        _volumeId = volumeId;
        _tailEntries = tailEntries;
        _prefix = MetadataPrefix(volumeId);
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

        var recordedSlots = _store.TryGetMetadata(_prefix + "slots", out var slotsValue) && slotsValue.Length == 4
            ? BinaryPrimitives.ReadInt32BigEndian(slotsValue)
            : 0;
        var slotEntries = _store.ListMetadata(_prefix + "slot/");
        var legacyTail = _store.ListMetadata(_prefix + "tail/");
        var end = new LogEnd(LogPosition.Origin, 0, 1);
        if (_store.TryGetMetadata(_prefix + "position", out var position))
        {
            end = DecodeEnd(position, legacyTail);
        }

        var entries = new Dictionary<long, EntryMetadata>();
        foreach (var slot in slotEntries)
        {
            var (slotEnd, entry) = DecodeSlot(slot.Value);
            entries[entry.Index] = entry;
            if (slotEnd.Last.Index > end.Last.Index || (slotEnd.Last.Index == end.Last.Index && slotEnd.Committed > end.Committed))
            {
                end = end with { Last = slotEnd.Last, Committed = Math.Max(end.Committed, slotEnd.Committed), TailStart = slotEnd.TailStart };
            }
        }

        foreach (var legacy in legacyTail)
        {
            var entry = DecodeEntry(Number(legacy.Key), legacy.Value);
            entries[entry.Index] = entry;
        }

        var tail = new List<EntryMetadata>();
        for (var index = end.TailStart; index <= end.Last.Index; index++)
        {
            if (!entries.TryGetValue(index, out var entry))
            {
                throw new InvalidDataException($"The replica state of volume {_volumeId:x16} is damaged: its tail lacks entry {index} (tail from {end.TailStart} to {end.Last.Index}).");
            }

            tail.Add(entry);
        }

        var versions = _store.ListMetadata(_prefix + "extent/")
            .Select(e => new ExtentVersion(Number(e.Key), BinaryPrimitives.ReadInt64BigEndian(e.Value)))
            .ToList();

        // A store written with fewer slots than the tail now needs, or in the layout before slots, is laid out again.
        _slots = Math.Max(recordedSlots, _tailEntries);
        if (_slots != recordedSlots || legacyTail.Count > 0)
        {
            using var write = _store.BeginBatch(_volumeId);
            foreach (var old in slotEntries.Concat(legacyTail))
            {
                write.DeleteMetadata(old.Key);
            }

            WriteTail(write, tail, end);
            write.PutMetadata(_prefix + "position", EncodeEnd(end));
            Span<byte> value = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(value, _slots);
            write.PutMetadata(_prefix + "slots", value);
            write.Commit(sync: true);
        }

        _last = end.Last;
        return new ReplicaDurableState(promised, owner, incarnation, end.Last, end.Committed, tail, versions);
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
        CheckTailFits(batch.TailStart, batch.Last.Index);
        var end = new LogEnd(batch.Last, batch.Committed, batch.TailStart);
        using var write = _store.BeginBatch(_volumeId);
        var endWritten = false;
        foreach (var entry in batch.Entries)
        {
            foreach (var range in entry.Ranges)
            {
                Apply(write, range);
            }

            // An entry already below the tail start leaves the tail in this very write: only its blocks are kept.
            if (entry.Index >= batch.TailStart)
            {
                write.PutMetadata(SlotName(entry.Index), EncodeSlot(end, entry.Index, entry.Epoch, entry.Ranges.Select(r => r.Range).ToArray()));
                endWritten = entry.Index == batch.Last.Index;
            }
        }

        if (!endWritten)
        {
            write.PutMetadata(_prefix + "position", EncodeEnd(end));
        }

        SetVersions(write, batch.ExtentVersions);
        write.Commit(batch.Sync);
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
        var tail = install.Tail;
        for (var i = 0; i < tail.Count; i++)
        {
            if (tail[i].Index != install.Last.Index - tail.Count + 1 + i)
            {
                throw new ArgumentException($"A catch-up's tail must be contiguous and end at its last entry {install.Last.Index}.", nameof(install));
            }
        }

        CheckTailFits(install.Last.Index - tail.Count + 1, install.Last.Index);
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

        foreach (var old in _store.ListMetadata(_prefix + "slot/"))
        {
            write.DeleteMetadata(old.Key);
        }

        var end = new LogEnd(install.Last, install.Committed, install.Tail.Count > 0 ? install.Tail[0].Index : install.Last.Index + 1);
        WriteTail(write, install.Tail, end);
        write.PutMetadata(_prefix + "position", EncodeEnd(end));
        SetVersions(write, install.ExtentVersions);
        write.Commit(install.Sync);
        _stageSession = -1;
        _stageCount = 0;
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

    private void CheckTailFits(long tailStart, long last)
    {
        if (_slots == 0)
        {
            throw new InvalidOperationException("Load the replica store before writing to it.");
        }

        if (last - tailStart + 1 > _slots)
        {
            throw new InvalidOperationException($"A tail of {last - tailStart + 1} entries does not fit in the store's {_slots} slots.");
        }
    }

    private void WriteTail(VolumeBatch write, IReadOnlyList<EntryMetadata> tail, LogEnd end)
    {
        foreach (var entry in tail)
        {
            write.PutMetadata(SlotName(entry.Index), EncodeSlot(end, entry.Index, entry.Epoch, entry.Ranges));
        }
    }

    private string SlotName(long index) => $"{_prefix}slot/{index % _slots:x16}";

    private string StageName(long sequence) => $"{_prefix}stage/{sequence:x16}";

    private static long Number(string name) => long.Parse(name.AsSpan(name.LastIndexOf('/') + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    private static byte[] EncodeEnd(LogEnd end)
    {
        var value = new byte[EndBytes];
        WriteEnd(value, end);
        return value;
    }

    private static void WriteEnd(Span<byte> value, LogEnd end)
    {
        BinaryPrimitives.WriteInt64BigEndian(value, end.Last.Index);
        BinaryPrimitives.WriteInt64BigEndian(value[8..], end.Last.Epoch);
        BinaryPrimitives.WriteInt64BigEndian(value[16..], end.Committed);
        BinaryPrimitives.WriteInt64BigEndian(value[24..], end.TailStart);
    }

    private static LogEnd ReadEnd(ReadOnlySpan<byte> value) => new(
        new LogPosition(BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value[8..])),
        BinaryPrimitives.ReadInt64BigEndian(value[16..]),
        BinaryPrimitives.ReadInt64BigEndian(value[24..]));

    /// <summary>The position record; in the layout before slots it had no tail start, which the first tail entry gives.</summary>
    private LogEnd DecodeEnd(byte[] value, IReadOnlyList<MetadataEntry> legacyTail)
    {
        if (value.Length == EndBytes)
        {
            return ReadEnd(value);
        }

        if (value.Length == 24)
        {
            var last = new LogPosition(BinaryPrimitives.ReadInt64BigEndian(value), BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(8)));
            return new LogEnd(last, BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(16)), legacyTail.Count > 0 ? Number(legacyTail[0].Key) : last.Index + 1);
        }

        throw new InvalidDataException($"The replica state of volume {_volumeId:x16} is damaged: its position record has {value.Length} bytes.");
    }

    private static byte[] EncodeSlot(LogEnd end, long index, long epoch, IReadOnlyList<ByteRange> ranges)
    {
        var value = new byte[EndBytes + 8 + 12 + 12 * ranges.Count];
        WriteEnd(value, end);
        BinaryPrimitives.WriteInt64BigEndian(value.AsSpan(EndBytes), index);
        WriteEntry(value.AsSpan(EndBytes + 8), epoch, ranges);
        return value;
    }

    private static (LogEnd End, EntryMetadata Entry) DecodeSlot(byte[] value) =>
        (ReadEnd(value), DecodeEntry(BinaryPrimitives.ReadInt64BigEndian(value.AsSpan(EndBytes)), value.AsSpan(EndBytes + 8)));

    private static void WriteEntry(Span<byte> value, long epoch, IReadOnlyList<ByteRange> ranges)
    {
        BinaryPrimitives.WriteInt64BigEndian(value, epoch);
        BinaryPrimitives.WriteInt32BigEndian(value[8..], ranges.Count);
        for (var i = 0; i < ranges.Count; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(value[(12 + 12 * i)..], ranges[i].Offset);
            BinaryPrimitives.WriteInt32BigEndian(value[(20 + 12 * i)..], ranges[i].Length);
        }
    }

    private static EntryMetadata DecodeEntry(long index, ReadOnlySpan<byte> value)
    {
        var count = BinaryPrimitives.ReadInt32BigEndian(value[8..]);
        var ranges = new ByteRange[count];
        for (var i = 0; i < count; i++)
        {
            ranges[i] = new ByteRange(BinaryPrimitives.ReadInt64BigEndian(value[(12 + 12 * i)..]), BinaryPrimitives.ReadInt32BigEndian(value[(20 + 12 * i)..]));
        }

        return new EntryMetadata(index, BinaryPrimitives.ReadInt64BigEndian(value), ranges);
    }

    /// <summary>Where the log ends as of one write: its last entry, the committed index and the first entry of the tail.</summary>
    private readonly record struct LogEnd(LogPosition Last, long Committed, long TailStart);

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
