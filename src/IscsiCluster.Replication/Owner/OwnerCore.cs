using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>
/// The owner side of one LUN (REPLICATION.md): becomes owner (probe, promises, recovery from the authority, no-op, lease
/// wait), then sequences writes, replicates them to every replica and completes them once a majority including its own
/// replica has them, renews its read lease, and brings lagging or divergent replicas back by catch-up.
/// <para>
/// A deterministic state machine. The host (the LUN actor on the owner node) calls <see cref="Start"/> once, then
/// <see cref="Handle"/> for every replication message addressed to the owner, <see cref="Tick"/> periodically (a tenth of
/// the retry interval is plenty), <see cref="Submit(WriteRequest, TimeSpan)"/> for each write, <see cref="Flush"/> for
/// SYNCHRONIZE CACHE, and <see cref="CanRead"/> / <see cref="LeaseValidAt"/> around each read of its local replica. Each
/// call takes the host's monotonic time (one clock that never goes back, like <c>Stopwatch</c>; never wall-clock time, which
/// jumps) and returns an <see cref="OwnerOutput"/>: messages to send, commands to answer.
/// Randomness (incarnation, probe ids) comes from the <see cref="Random"/> the host passes in. Not thread-safe.
/// </para>
/// </summary>
public sealed partial class OwnerCore
{
    private readonly ReplicationSettings _settings;
    private readonly int _self;
    private readonly Random _random;
    private readonly long _incarnation;
    private readonly List<Peer> _peers;
    private readonly Dictionary<int, Peer> _peersById;
    private readonly List<Outgoing> _out = [];
    private readonly List<Completion> _completions = [];
    private readonly List<WriteAssignment> _assigned = [];

    private Phase _phase = Phase.Idle;
    private bool _fenced;
    private bool _stopped;
    private long _epoch;
    private OwnerState _reported = OwnerState.Recovering;

    /// <summary>Whether it ever served: after that, a lapsed lease is reported as such rather than as a wait.</summary>
    private bool _everServed;

    /// <summary>Creates an owner for node <paramref name="self"/>, which must be one of the replicas.</summary>
    public OwnerCore(int self, ReplicationSettings settings, Random random)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(random);
        settings.Validate();
        if (!settings.Replicas.Contains(self))
        {
            throw new ArgumentException($"Node {self} is not a replica of this LUN: the owner reads its own replica.", nameof(self));
        }

        _settings = settings;
        _self = self;
        _random = random;
        _incarnation = NonZero(random);
        _peers = settings.Replicas.Select(id => new Peer(id)).ToList();
        _peersById = _peers.ToDictionary(p => p.Id);
    }

    private enum Phase
    {
        Idle,
        Probing,
        Promising,
        Recovering,
        Recovered,
    }

    /// <summary>This owner's node.</summary>
    public int Id => _self;

    /// <summary>The epoch it owns (or is trying to); 0 before it has chosen one.</summary>
    public long Epoch => _epoch;

    /// <summary>The state after the last call.</summary>
    public OwnerState State => _reported;

    /// <summary>The highest index acknowledged to the host: a local read must reflect at least this (its own replica holds it).</summary>
    public long CommittedIndex => _commitIndex;

    /// <summary>Holds a majority of promises for <see cref="Epoch"/>: the only owner that ever will (checked by the simulation).</summary>
    internal bool HoldsEpoch => _phase >= Phase.Recovering;

    /// <summary>Recovered, and not fenced or stopped: from <see cref="ServesFrom"/> to <see cref="LeaseExpiry"/> it may serve.</summary>
    internal bool MayServe => _phase == Phase.Recovered && !_fenced && !_stopped;

    /// <summary>When older leases have run out, on this owner's clock (checked by the simulation).</summary>
    internal TimeSpan ServesFrom => _leaseWaitUntil;

    /// <summary>The owner's monotonic time until which it may serve; <see cref="TimeSpan.MinValue"/> before any renewal.</summary>
    public TimeSpan LeaseExpiry => _leaseExpiry;

    /// <summary>Begins becoming owner: probes every replica (REPLICATION.md "Becoming owner", step 1).</summary>
    public OwnerOutput Start(TimeSpan now)
    {
        if (_phase != Phase.Idle)
        {
            throw new InvalidOperationException("An owner starts once.");
        }

        foreach (var peer in _peers)
        {
            peer.LastHeardAt = now;
        }

        BeginProbing(now);
        return Output(now);
    }

    /// <summary>Handles a message a replica (node <paramref name="from"/>) sent to this owner.</summary>
    public OwnerOutput Handle(int from, ReplicationMessage message, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (_fenced || _stopped || !_peersById.TryGetValue(from, out var peer))
        {
            return Output(now);
        }

        switch (message)
        {
            case ProbeReply reply:
                OnProbeReply(peer, reply, now);
                break;
            case PromiseGranted granted:
                OnPromiseGranted(peer, granted, now);
                break;
            case PromiseRefused refused:
                OnPromiseRefused(refused);
                break;
            case StaleEpoch stale:
                if (stale.Epoch == _epoch && stale.Promised > _epoch)
                {
                    Fence();
                }

                break;
            case Accepted accepted:
                OnAccepted(peer, accepted, now);
                break;
            case LogMismatch mismatch:
                OnMismatch(peer, mismatch, now);
                break;
            case LogDescription description:
                OnDescription(peer, description, now);
                break;
            case CatchUpChunkAck ack:
                OnChunkAck(peer, ack, now);
                break;
            case CatchUpFailed failed:
                OnCatchUpFailed(failed, now);
                break;
            default:
                // Requests meant for replicas, or anything unknown: bad input stays local.
                break;
        }

        return Output(now);
    }

    /// <summary>
    /// Periodic work: resends what went unanswered, sends heartbeats, marks silent replicas absent, drives catch-ups, times out
    /// commands, and moves between Serving and LeaseLapsed as the lease runs.
    /// </summary>
    public OwnerOutput Tick(TimeSpan now)
    {
        if (!_fenced && !_stopped)
        {
            switch (_phase)
            {
                case Phase.Probing:
                case Phase.Promising:
                    RetryRound(now);
                    break;
                case Phase.Recovering:
                case Phase.Recovered:
                    TickReplication(now);
                    break;
                default:
                    break;
            }
        }

        return Output(now);
    }

    /// <summary>
    /// Stops this owner (the LUN moves away, or the host shuts down): every pending write and flush fails with
    /// <see cref="CompletionStatus.Stopped"/>, catch-up sources are told to let go, and it never serves again. Once stopped,
    /// it tells every replica that it resigned its epoch, so that the next owner need not wait out its lease; a crashed owner
    /// sends nothing, and the next one waits (REPLICATION.md "Becoming owner", step 5).
    /// </summary>
    public OwnerOutput Stop(TimeSpan now)
    {
        if (!_fenced && !_stopped)
        {
            foreach (var peer in _peers.Where(p => p.Mode == PeerMode.CatchingUp))
            {
                Send(peer.Source, new CatchUpEnd(_epoch, peer.Session));
            }

            _stopped = true;
            FailPending(CompletionStatus.Stopped);
            if (_phase is Phase.Recovering or Phase.Recovered)
            {
                foreach (var peer in _peers)
                {
                    Send(peer.Id, new Resign(_epoch, _self));
                }
            }
        }

        return Output(now);
    }

    /// <summary>
    /// May the host read its local replica now? True while this owner serves: recovered, every older lease run out, and its own
    /// lease valid at <paramref name="now"/> (REPLICATION.md "Reading, and why a lease").
    /// <para>
    /// The host must ask <see cref="LeaseValidAt"/> again once the read completed, before answering: between this check and the
    /// store read the host may pause (GC, scheduling, a slow disk) past the lease's end, and a newer owner may meanwhile have
    /// been acknowledging writes and sending its appends and catch-up installs to this very replica. Only a read that both
    /// started and finished inside the lease certainly shows this owner's log: every write it acknowledged, and nothing of a
    /// state a newer owner is still building. A read that fails the second check is answered NOT READY, and the initiator
    /// retries on the path of the new owner.
    /// </para>
    /// </summary>
    public bool CanRead(TimeSpan now) => LeaseValidAt(now);

    /// <summary>Is the lease valid at <paramref name="now"/>? The check the host repeats after a local read completes.</summary>
    public bool LeaseValidAt(TimeSpan now) => ReadWindow is { } window && now >= window.From && now < window.Until;

    /// <summary>
    /// The times (this owner's clock) between which its reads are valid as things stand after the last call, or null when
    /// it may not read at all (not recovered, fenced, stopped, or its own replica not following its log). A host whose reads
    /// run on other threads than the one driving this core copies it after every call and checks the time against it: the
    /// same test as <see cref="LeaseValidAt"/>, without touching the core from another thread.
    /// </summary>
    public (TimeSpan From, TimeSpan Until)? ReadWindow =>
        !_fenced && !_stopped && _phase == Phase.Recovered && Own.Mode == PeerMode.Streaming ? (_leaseWaitUntil, _leaseExpiry) : null;

    /// <summary>The owner's state for <c>status</c>.</summary>
    public OwnerStatus Status(TimeSpan now)
    {
        var replicas = _peers
            .Select(p => new ReplicaStatus(p.Id, HealthOf(p, now), p.Mode == PeerMode.Streaming ? p.MatchIndex : -1, ProgressOf(p)))
            .ToArray();
        return new OwnerStatus(StateAt(now), _epoch, _lastIndex, _commitIndex, _durableIndex, _leaseExpiry, replicas);
    }

    private ReplicaHealth HealthOf(Peer peer, TimeSpan now)
    {
        if (!peer.Heard || peer.Absent || now - peer.LastHeardAt >= _settings.AbsentAfter)
        {
            return ReplicaHealth.Absent;
        }

        return peer.Mode == PeerMode.Streaming && peer.MatchIndex >= 0 ? ReplicaHealth.InSync : ReplicaHealth.CatchingUp;
    }

    private CatchUpProgress? ProgressOf(Peer peer)
    {
        if (peer.Mode == PeerMode.Streaming && peer.MatchIndex >= 0)
        {
            return null;
        }

        // Entries after its last reported one; a divergent suffix is counted as if shared, which the catch-up's bytes make up for.
        var known = Math.Max(Math.Max(peer.ReportedIndex, peer.MatchIndex), 0);
        var behind = Math.Max(0, _lastIndex - Math.Min(known, _lastIndex));
        return new CatchUpProgress(behind, peer.Mode == PeerMode.CatchingUp ? peer.BytesLeft : -1);
    }

    private OwnerState StateAt(TimeSpan now)
    {
        if (_stopped)
        {
            return OwnerState.Stopped;
        }

        if (_fenced)
        {
            return OwnerState.Fenced;
        }

        if (_phase != Phase.Recovered)
        {
            return OwnerState.Recovering;
        }

        if (LeaseValidAt(now))
        {
            return OwnerState.Serving;
        }

        return _everServed ? OwnerState.LeaseLapsed : OwnerState.WaitingLease;
    }

    /// <summary>
    /// REPLICATION.md "Writing": a replica refusing with a newer epoch fences this owner. It stops serving and fails every
    /// pending command; the host answers them with an error and the initiator retries on another path.
    /// </summary>
    private void Fence()
    {
        if (_fenced || _stopped)
        {
            return;
        }

        _fenced = true;
        FailPending(CompletionStatus.Fenced);
    }

    private Peer Own => _peersById[_self];

    private void Send(int to, ReplicationMessage message) => _out.Add(new Outgoing(to, message));

    private OwnerOutput Output(TimeSpan now)
    {
        var state = StateAt(now);
        _everServed |= state == OwnerState.Serving;
        var changed = state != _reported;
        _reported = state;
        var output = new OwnerOutput(_out.ToArray(), _completions.ToArray(), _assigned.ToArray(), state, changed);
        _out.Clear();
        _completions.Clear();
        _assigned.Clear();
        return output;
    }

    private static long NonZero(Random random)
    {
        long value;
        do
        {
            value = random.NextInt64();
        }
        while (value == 0);
        return value;
    }
}
