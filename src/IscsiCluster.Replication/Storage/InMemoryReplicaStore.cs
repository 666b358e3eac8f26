using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// An <see cref="IReplicaStore"/> in memory, for the deterministic simulation and for hosts' tests. It keeps the contract's
/// crash semantics explicit: the object itself outlives a simulated process crash (<see cref="Crash"/> only drops staged
/// catch-up blocks, as a restart of RocksDB would keep its WAL), and <see cref="PowerLoss"/> rolls back to the last sync plus
/// a prefix of the later writes, whole writes only.
/// </summary>
public sealed class InMemoryReplicaStore : IReplicaStore
{
    private readonly bool _modelPowerLoss;
    private readonly List<Image> _unsynced = [];
    private Image _current;
    private Image _durable;
    private long _stagedSession = -1;
    private List<WriteRange> _staged = [];

    /// <param name="sizeBytes">Size of the LUN.</param>
    /// <param name="modelPowerLoss">Keep the images <see cref="PowerLoss"/> needs (a copy per unsynced write).</param>
    public InMemoryReplicaStore(long sizeBytes, bool modelPowerLoss = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sizeBytes);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sizeBytes, Array.MaxLength);
        _modelPowerLoss = modelPowerLoss;
        _current = new Image(new byte[sizeBytes]);
        _durable = _current.Copy();
    }

    /// <summary>The promised epoch as last written (what the simulation checks appends against).</summary>
    public long Promised => _current.Promised;

    /// <summary>The last entry as last written.</summary>
    public LogPosition Last => _current.Last;

    /// <summary>Number of <see cref="Append"/> calls, for tests of group commit.</summary>
    public int AppendCalls { get; private set; }

    /// <summary>Number of syncs (explicit, promise, or with a write).</summary>
    public int SyncCalls { get; private set; }

    /// <summary>Writes made since the last sync, which a power loss may lose.</summary>
    public int UnsyncedWrites => _unsynced.Count;

    /// <summary>A copy of every byte of the LUN as last written.</summary>
    public byte[] Contents() => (byte[])_current.Blocks.Clone();

    /// <inheritdoc />
    public ReplicaDurableState Load() => new(
        _current.Promised,
        _current.PromisedOwner,
        _current.PromisedIncarnation,
        _current.Last,
        _current.Committed,
        _current.Tail.ToArray(),
        _current.Versions.Select(v => new ExtentVersion(v.Key, v.Value)).OrderBy(v => v.Extent).ToArray());

    /// <inheritdoc />
    public void SavePromise(long epoch, int owner, long incarnation)
    {
        _current.Promised = epoch;
        _current.PromisedOwner = owner;
        _current.PromisedIncarnation = incarnation;
        Sync();
    }

    /// <inheritdoc />
    public void Append(AppendBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        AppendCalls++;
        foreach (var entry in batch.Entries)
        {
            foreach (var range in entry.Ranges)
            {
                Write(range);
            }

            _current.Tail.Add(entry.ToMetadata());
        }

        _current.Tail.RemoveAll(m => m.Index < batch.TailStart);
        foreach (var version in batch.ExtentVersions)
        {
            _current.Versions[version.Extent] = version.Version;
        }

        _current.Last = batch.Last;
        _current.Committed = batch.Committed;
        Written(batch.Sync);
    }

    /// <inheritdoc />
    public BlockRead Read(IReadOnlyList<ByteRange> ranges)
    {
        ArgumentNullException.ThrowIfNull(ranges);
        var data = new ReadOnlyMemory<byte>[ranges.Count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = _current.Blocks.AsSpan(checked((int)ranges[i].Offset), ranges[i].Length).ToArray();
        }

        return new BlockRead(_current.Last, data);
    }

    /// <inheritdoc />
    public IReplicaSnapshot OpenSnapshot() => new Snapshot(_current.Last, (byte[])_current.Blocks.Clone());

    /// <inheritdoc />
    public void StageCatchUp(long session, IReadOnlyList<WriteRange> blocks)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        if (session != _stagedSession)
        {
            _stagedSession = session;
            _staged = [];
        }

        _staged.AddRange(blocks);
    }

    /// <inheritdoc />
    public void InstallCatchUp(CatchUpInstall install)
    {
        ArgumentNullException.ThrowIfNull(install);
        if (install.Session == _stagedSession)
        {
            foreach (var block in _staged)
            {
                Write(block);
            }
        }

        foreach (var block in install.Blocks)
        {
            Write(block);
        }

        DiscardCatchUp();
        _current.Tail.Clear();
        _current.Tail.AddRange(install.Tail);
        foreach (var version in install.ExtentVersions)
        {
            _current.Versions[version.Extent] = version.Version;
        }

        _current.Last = install.Last;
        _current.Committed = install.Committed;
        Written(install.Sync);
    }

    /// <inheritdoc />
    public void DiscardCatchUp()
    {
        _stagedSession = -1;
        _staged = [];
    }

    /// <inheritdoc />
    public void Sync()
    {
        SyncCalls++;
        _durable = _current.Copy();
        _unsynced.Clear();
    }

    /// <summary>
    /// A process crash (kill -9): nothing written is lost (RocksDB's WAL reached the OS on every write); staged catch-up
    /// blocks are, as if kept in memory.
    /// </summary>
    public void Crash() => DiscardCatchUp();

    /// <summary>
    /// A power loss: everything synced survives, and of the writes since, only the first <paramref name="keepUnsynced"/>
    /// (clamped to what there is). Requires the store to model power loss.
    /// </summary>
    public void PowerLoss(int keepUnsynced)
    {
        if (!_modelPowerLoss)
        {
            throw new InvalidOperationException("This store was created without modelPowerLoss.");
        }

        var keep = Math.Clamp(keepUnsynced, 0, _unsynced.Count);
        _current = keep == 0 ? _durable.Copy() : _unsynced[keep - 1].Copy();
        _durable = _current.Copy();
        _unsynced.Clear();
        DiscardCatchUp();
    }

    private void Write(WriteRange range)
    {
        var target = _current.Blocks.AsSpan(checked((int)range.Offset), range.Length);
        if (range.IsZero)
        {
            target.Clear();
        }
        else
        {
            range.Data.Span.CopyTo(target);
        }
    }

    private void Written(bool sync)
    {
        if (sync)
        {
            Sync();
        }
        else if (_modelPowerLoss)
        {
            _unsynced.Add(_current.Copy());
        }
    }

    /// <summary>Everything the store holds, copied whole for sync points and power-loss prefixes.</summary>
    private sealed class Image(byte[] blocks)
    {
        public byte[] Blocks { get; } = blocks;

        public long Promised { get; set; }

        public int PromisedOwner { get; set; }

        public long PromisedIncarnation { get; set; }

        public LogPosition Last { get; set; }

        public long Committed { get; set; }

        public List<EntryMetadata> Tail { get; } = [];

        public Dictionary<long, long> Versions { get; } = [];

        public Image Copy()
        {
            var copy = new Image((byte[])Blocks.Clone())
            {
                Promised = Promised,
                PromisedOwner = PromisedOwner,
                PromisedIncarnation = PromisedIncarnation,
                Last = Last,
                Committed = Committed,
            };
            copy.Tail.AddRange(Tail);
            foreach (var (extent, version) in Versions)
            {
                copy.Versions[extent] = version;
            }

            return copy;
        }
    }

    private sealed class Snapshot(LogPosition position, byte[] blocks) : IReplicaSnapshot
    {
        public LogPosition Position { get; } = position;

        public ReadOnlyMemory<byte> Read(ByteRange range) => blocks.AsMemory(checked((int)range.Offset), range.Length).ToArray();

        public void Dispose()
        {
        }
    }
}
