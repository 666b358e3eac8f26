using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Replica;

/// <summary>
/// The replica side of one LUN on one node (REPLICATION.md "State", "Writing", "Catching up"): keeps the promise, appends
/// what follows its last entry exactly, answers probes and promises, serves as catch-up source and installs catch-ups as
/// target. A deterministic state machine: the host hands it messages and clock ticks with its monotonic time (one clock that
/// never goes back: the ages its promises report are measured on it), and sends the messages it returns. It writes through <see cref="IReplicaStore"/> before it answers, so an answer never claims what a
/// crash could take back. Not thread-safe: one per LUN per node, driven from one actor.
/// </summary>
public sealed partial class ReplicaCore
{
    private readonly int _self;
    private readonly ReplicationSettings _settings;
    private readonly IReplicaStore _store;
    private readonly ExtentGeometry _geometry;
    private readonly List<EntryMetadata> _tail = [];
    private readonly Dictionary<long, long> _versions = [];
    private readonly List<Outgoing> _out = [];

    private long _promised;
    private int _promisedOwner;
    private long _promisedIncarnation;
    private LogPosition _last;
    private long _committed;
    private long _synced;
    private bool _unsynced;
    private TimeSpan _lastSyncAt;

    /// <summary>When this replica last acknowledged a message of the owner it had promised (or started, if later).</summary>
    private TimeSpan _lastLeaseAckAt;

    /// <summary><see cref="_lastLeaseAckAt"/> as it was when the current epoch was promised: the age a promise reports.</summary>
    private TimeSpan _lastOlderLeaseAckAt;

    /// <summary>The owner of the promised epoch resigned it: the leases this replica renewed for that owner no longer count.</summary>
    private bool _promisedOwnerResigned;

    /// <summary>
    /// Starts the replica from its store. <paramref name="now"/> also stands for the last lease acknowledgement: what this
    /// process acknowledged before a restart is unknown, and counting from the start only makes promises report shorter ages
    /// than the true ones, which makes a new owner wait longer, never less (REPLICATION.md "Becoming owner", step 5).
    /// </summary>
    public ReplicaCore(int self, ReplicationSettings settings, IReplicaStore store, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        settings.Validate();
        _self = self;
        _settings = settings;
        _store = store;
        _geometry = settings.Geometry;
        var state = store.Load();
        _promised = state.Promised;
        _promisedOwner = state.PromisedOwner;
        _promisedIncarnation = state.PromisedIncarnation;
        _last = state.Last;
        _committed = state.Committed;

        // After a process crash the store holds writes that reached the OS but maybe not the disk: sync once, so that the
        // synced index this replica reports (which FUA and flushes count on) is true from the start.
        if ((settings.Breakage & ProtocolBreakage.ClaimSyncWithoutSyncing) == 0)
        {
            store.Sync();
        }

        _synced = state.Last.Index;
        foreach (var version in state.ExtentVersions)
        {
            _versions[version.Extent] = version.Version;
        }

        // The store records an extent's version only once the entry that set it leaves the tail; the tail gives the rest.
        _tail.AddRange(state.Tail);
        foreach (var entry in state.Tail)
        {
            RaiseVersions(entry);
        }

        _lastLeaseAckAt = now;
        _lastOlderLeaseAckAt = now;
        _lastSyncAt = now;
    }

    /// <summary>This replica's node number.</summary>
    public int Id => _self;

    /// <summary>The highest epoch promised.</summary>
    public long Promised => _promised;

    /// <summary>The last entry of the log.</summary>
    public LogPosition Last => _last;

    /// <summary>The committed index recorded.</summary>
    public long Committed => _committed;

    /// <summary>The highest index known synced.</summary>
    public long Synced => _synced;

    /// <summary>The last index that changed each extent written so far, in extent order.</summary>
    public IReadOnlyList<ExtentVersion> ExtentVersions =>
        _versions.Select(v => new ExtentVersion(v.Key, v.Value)).OrderBy(v => v.Extent).ToArray();

    /// <summary>Handles one message from node <paramref name="from"/> at the host's monotonic time <paramref name="now"/>.</summary>
    public IReadOnlyList<Outgoing> Handle(int from, ReplicationMessage message, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(message);
        Dispatch(from, message, now);
        return TakeOutput(now);
    }

    /// <summary>
    /// Handles messages that arrived together. Consecutive appends, heartbeats and syncs go to the store as one atomic write
    /// (group commit), and their answers leave only after it.
    /// </summary>
    public IReadOnlyList<Outgoing> Handle(IReadOnlyList<Incoming> messages, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var incoming in messages)
        {
            Dispatch(incoming.From, incoming.Message, now);
        }

        return TakeOutput(now);
    }

    /// <summary>Periodic work: background sync of old unsynced appends, and forgetting idle catch-up sessions.</summary>
    public IReadOnlyList<Outgoing> Tick(TimeSpan now)
    {
        if (_unsynced && now - _lastSyncAt >= _settings.BackgroundSyncInterval
            && (_settings.Breakage & ProtocolBreakage.ClaimSyncWithoutSyncing) == 0)
        {
            _store.Sync();
            MarkSynced(now);
        }

        ForgetIdleSessions(now);
        return TakeOutput(now);
    }

    /// <summary>Reads the replica's blocks for the owner's local reads, with the position they reflect.</summary>
    public BlockRead Read(IReadOnlyList<ByteRange> ranges) => _store.Read(ranges);

    private void Dispatch(int from, ReplicationMessage message, TimeSpan now)
    {
        switch (message)
        {
            case Append append:
                HandleAppend(from, append, now);
                break;
            case Heartbeat heartbeat:
                HandleHeartbeat(from, heartbeat, now);
                break;
            case SyncRequest sync:
                HandleSync(from, sync, now);
                break;
            default:
                FlushPending(now);
                DispatchUnbatched(from, message, now);
                break;
        }
    }

    private void DispatchUnbatched(int from, ReplicationMessage message, TimeSpan now)
    {
        switch (message)
        {
            case Probe probe:
                Send(from, new ProbeReply(probe.ProbeId, _promised, _last));
                break;
            case PromiseRequest promise:
                HandlePromise(from, promise, now);
                break;
            case DescribeLog describe:
                HandleDescribe(from, describe, now);
                break;
            case CatchUpStart start:
                HandleCatchUpStart(from, start, now);
                break;
            case CatchUpContinue next:
                HandleCatchUpContinue(from, next, now);
                break;
            case CatchUpEnd end:
                EndSession(end.Epoch, end.Session);
                break;
            case Resign resign:
                HandleResign(from, resign);
                break;
            case CatchUpChunk chunk:
                HandleChunk(chunk, now);
                break;
            default:
                // Answers meant for owners, or anything unknown: not for a replica. Bad input stays local.
                break;
        }
    }

    /// <summary>
    /// REPLICATION.md "Becoming owner", step 2: promise only an epoch above every earlier promise, durably before answering.
    /// The same request again from the same owner incarnation is answered again (it was lost or duplicated); the same epoch
    /// from anyone else is refused, so at most one owner gathers a majority for it.
    /// </summary>
    private void HandlePromise(int from, PromiseRequest request, TimeSpan now)
    {
        if (request.Epoch > _promised)
        {
            Promise(request.Epoch, request.Owner, request.Incarnation);
        }
        else if (request.Epoch != _promised || request.Owner != _promisedOwner || request.Incarnation != _promisedIncarnation
                 || request.Incarnation == 0)
        {
            Send(from, new PromiseRefused(request.Epoch, _promised));
            return;
        }

        Send(from, new PromiseGranted(request.Epoch, _last, _committed, now - _lastOlderLeaseAckAt));
    }

    /// <summary>
    /// Checks the epoch of an owner's request: below the promise it is refused (the sender is fenced); above it, it is
    /// promised first, as a replica that missed the promise round learns of the new owner from its appends.
    /// </summary>
    private bool AcceptEpoch(long epoch, int owner, int replyTo, TimeSpan now)
    {
        if (epoch < _promised)
        {
            Send(replyTo, new StaleEpoch(epoch, _promised));
            return false;
        }

        if (epoch > _promised)
        {
            FlushPending(now);
            Promise(epoch, owner, incarnation: 0);
        }

        return true;
    }

    /// <summary>
    /// The owner of the promised epoch stopped for good. Only that owner's word counts: a resignation of an older epoch, or
    /// from another node, says nothing about the lease this replica renews now. It is kept in memory only: after a restart the
    /// replica reports the conservative age from its start anyway.
    /// </summary>
    private void HandleResign(int from, Resign resign)
    {
        if (resign.Epoch == _promised && resign.Owner == from && from == _promisedOwner)
        {
            _promisedOwnerResigned = true;
        }
    }

    /// <summary>
    /// Promises <paramref name="epoch"/>. The age the promise reports is that of the last acknowledgement of an older owner's
    /// lease; when the owner of the current epoch resigned, its leases are void and the age goes back to the acknowledgements
    /// before its epoch, which it had itself waited out before it served.
    /// </summary>
    private void Promise(long epoch, int owner, long incarnation)
    {
        if (!_promisedOwnerResigned)
        {
            _lastOlderLeaseAckAt = _lastLeaseAckAt;
        }

        _promisedOwnerResigned = false;
        _store.SavePromise(epoch, owner, incarnation);
        _promised = epoch;
        _promisedOwner = owner;
        _promisedIncarnation = incarnation;
        _synced = _last.Index;
        _unsynced = false;
    }

    /// <summary>The epoch of the entry at <paramref name="index"/> if this replica still knows it.</summary>
    private long? EpochAt(long index)
    {
        if (index == _last.Index)
        {
            return _last.Epoch;
        }

        if (index == 0)
        {
            return 0;
        }

        if (_tail.Count > 0 && index >= _tail[0].Index && index <= _tail[^1].Index)
        {
            return _tail[(int)(index - _tail[0].Index)].Epoch;
        }

        return null;
    }

    /// <summary>Records that <paramref name="entry"/> changed its extents, unless a later entry already did.</summary>
    private void RaiseVersions(EntryMetadata entry)
    {
        foreach (var range in entry.Ranges)
        {
            var (first, last) = _geometry.ExtentsOf(range);
            for (var extent = first; extent <= last; extent++)
            {
                if (!_versions.TryGetValue(extent, out var version) || version < entry.Index)
                {
                    _versions[extent] = entry.Index;
                }
            }
        }
    }

    /// <summary>
    /// The versions the store must now record because the first <paramref name="count"/> tail entries drop out of the tail:
    /// those of the extents whose last change is one of them. An extent changed again later is still described by a tail entry.
    /// </summary>
    private ExtentVersion[] VersionsLeavingTheTail(int count)
    {
        if ((_settings.Breakage & ProtocolBreakage.ForgetVersionsLeavingTheTail) != 0)
        {
            return [];
        }

        var last = _tail[count - 1].Index;
        List<ExtentVersion>? recorded = null;
        for (var i = 0; i < count; i++)
        {
            foreach (var range in _tail[i].Ranges)
            {
                var (first, end) = _geometry.ExtentsOf(range);
                for (var extent = first; extent <= end; extent++)
                {
                    var version = new ExtentVersion(extent, _versions[extent]);
                    if (version.Version <= last && recorded?.Contains(version) != true)
                    {
                        (recorded ??= []).Add(version);
                    }
                }
            }
        }

        return recorded?.ToArray() ?? [];
    }

    /// <summary>Every extent the entries changed (with repeats).</summary>
    private IEnumerable<long> ExtentsOf(IEnumerable<EntryMetadata> entries)
    {
        foreach (var entry in entries)
        {
            foreach (var range in entry.Ranges)
            {
                var (first, last) = _geometry.ExtentsOf(range);
                for (var extent = first; extent <= last; extent++)
                {
                    yield return extent;
                }
            }
        }
    }

    /// <summary>The current versions of <paramref name="extents"/>, each once.</summary>
    private ExtentVersion[] VersionsOf(IEnumerable<long> extents) =>
        extents.Distinct().Select(e => new ExtentVersion(e, _versions[e])).ToArray();

    private void MarkSynced(TimeSpan now)
    {
        _synced = _last.Index;
        _unsynced = false;
        _lastSyncAt = now;
    }

    private void Send(int to, ReplicationMessage message) => _out.Add(new Outgoing(to, message));

    private Outgoing[] TakeOutput(TimeSpan now)
    {
        FlushPending(now);
        var output = _out.ToArray();
        _out.Clear();
        return output;
    }
}
