using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Replica;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// A simulated cluster in the style of FoundationDB's simulation and TigerBeetle's VOPR: the real <see cref="OwnerCore"/> and
/// <see cref="ReplicaCore"/> run unchanged against a simulated network (loss, delay, reordering, duplication, partitions),
/// simulated disks (<see cref="InMemoryReplicaStore"/>, crash semantics), and per-node clocks (own rate within the drift
/// bound, pauses), all driven by one <see cref="SimRandom"/>. Events run one at a time in time order; the per-step checks run
/// after every one. Scripted tests drive it through the same methods as the random schedules.
/// </summary>
internal sealed partial class SimCluster
{
    private readonly PriorityQueue<SimEvent, (long At, long Seq)> _queue = new();
    private readonly HashSet<(int From, int To)> _cut = [];
    private readonly Dictionary<long, OwnerCore> _epochHolders = [];
    private readonly Dictionary<OwnerCore, LeaseInterval> _leases = [];
    private readonly List<(SimNode Node, LeaseInterval Lease)> _live = [];
    private readonly Action<string>? _trace;
    private long _seq;

    public SimCluster(SimConfig config, SimRandom random, Action<string>? trace = null)
    {
        Config = config;
        Settings = config.Settings;
        Random = random;
        _trace = trace;
        Loss = config.LossProbability;
        Duplication = config.DuplicationProbability;
        LongDelay = config.LongDelayProbability;
        foreach (var id in Settings.Replicas)
        {
            var drift = (random.NextDouble() * 2 - 1) * Settings.ClockDrift * 0.9;
            if (config.ClockRates is { } rates)
            {
                drift = rates[id - 1] - 1;
            }

            var store = new CheckedStore(new InMemoryReplicaStore(Settings.SizeBytes, config.PowerLoss), id, Violation);
            var node = new SimNode(id, store, 1 + drift, random.Range(0, 10_000_000_000));
            Nodes.Add(node);
            StartProcess(node);
        }

        Every(20_000, Control);
    }

    public SimConfig Config { get; }

    public ReplicationSettings Settings { get; }

    public SimRandom Random { get; }

    /// <summary>Real time, in microseconds.</summary>
    public long Now { get; private set; }

    public List<SimNode> Nodes { get; } = [];

    public History History { get; } = new();

    public List<string> Violations { get; } = [];

    public double Loss { get; set; }

    public double Duplication { get; set; }

    public double LongDelay { get; set; }

    /// <summary>Messages between nodes that a scripted test holds back (return true), to deliver later with <see cref="Release"/>.</summary>
    public Func<int, int, ReplicationMessage, bool>? Hold { get; set; }

    public List<(int From, int To, ReplicationMessage Message)> Held { get; } = [];

    public long Steps { get; private set; }

    public long MessagesSent { get; private set; }

    public SimNode Node(int id) => Nodes[id - 1];

    public OwnerCore? Owner(int id) => Node(id).Owner;

    /// <summary>Runs an action at real time <paramref name="at"/> (not bound to any node).</summary>
    public void At(long at, Action action) => Enqueue(new SimEvent(0, 0, action), Math.Max(at, Now));

    /// <summary>Runs until nothing is left before <paramref name="until"/>, or a check failed.</summary>
    public void RunUntil(long until)
    {
        while (Violations.Count == 0 && _queue.TryPeek(out _, out var key) && key.At <= until)
        {
            Step();
        }

        if (Violations.Count == 0)
        {
            Now = Math.Max(Now, until);
        }
    }

    public void RunFor(long micros) => RunUntil(Now + micros);

    /// <summary>Runs until <paramref name="condition"/> holds (checked after each step) or <paramref name="limit"/> µs pass.</summary>
    public bool RunUntil(Func<bool> condition, long limit)
    {
        var until = Now + limit;
        while (Violations.Count == 0 && !condition())
        {
            if (!_queue.TryPeek(out _, out var key) || key.At > until)
            {
                Now = until;
                return condition();
            }

            Step();
        }

        return Violations.Count == 0;
    }

    public void Violation(string message)
    {
        Violations.Add($"t={Now}µs {message}");
        Trace($"VIOLATION {message}");
    }

    private void Step()
    {
        var ev = _queue.Dequeue();
        Now = ev.At;
        if (ev.Node > 0)
        {
            var node = Node(ev.Node);
            if (node.Down || node.Incarnation != ev.Incarnation)
            {
                return;
            }

            if (node.IsPaused(Now))
            {
                // A stopped process runs nothing; what was due runs when it resumes, in the same order.
                _queue.Enqueue(ev with { At = node.PausedUntil }, (node.PausedUntil, ev.Seq));
                return;
            }
        }

        Steps++;
        ev.Action();
        CheckStep();
    }

    /// <summary>
    /// Per-step checks. (3) at most one owner holds the promises of an epoch, and at most one owner's lease is valid at any
    /// instant of real time (each judged on its own clock, paused or not).
    /// </summary>
    private void CheckStep()
    {
        CheckLeaseIntervals();
        OwnerCore? serving = null;
        foreach (var node in Nodes)
        {
            if (node.Down || node.Owner is not { } owner)
            {
                continue;
            }

            if (owner.HoldsEpoch)
            {
                if (_epochHolders.TryGetValue(owner.Epoch, out var holder) && holder != owner)
                {
                    Violation($"(3) two owners hold a majority of promises for epoch {owner.Epoch}: n{holder.Id} and n{owner.Id}");
                }

                _epochHolders[owner.Epoch] = owner;
            }

            if (owner.LeaseValidAt(node.Clock(Now)))
            {
                if (serving is not null)
                {
                    Violation($"(3) two owners with valid leases: n{serving.Id} (epoch {serving.Epoch}) and n{owner.Id} (epoch {owner.Epoch})");
                }

                serving = owner;
            }
        }
    }

    /// <summary>
    /// (3), exactly: each owner's lease as an interval of real time, from when it may first serve (recovered, and its wait
    /// for older leases over) to when its lease ends or it is fenced, stopped or killed; no two may overlap. Unlike sampling
    /// validity at each step, this also sees overlaps shorter than the time between two events.
    /// </summary>
    private void CheckLeaseIntervals()
    {
        foreach (var node in Nodes)
        {
            if (node.Owner is { MayServe: true } owner && !node.Down)
            {
                if (!_leases.TryGetValue(owner, out var lease))
                {
                    lease = new LeaseInterval(owner, Math.Max(node.RealTimeOf(owner.ServesFrom), Now));
                    _leases[owner] = lease;
                    _live.Add((node, lease));
                }

                var end = node.RealTimeOf(owner.LeaseExpiry);
                if (owner.LeaseExpiry != TimeSpan.MinValue && end > lease.End)
                {
                    lease.End = end;
                    foreach (var other in _leases.Values)
                    {
                        if (other != lease && lease.Start < lease.End && other.Start < other.End
                            && lease.Start < other.End && other.Start < lease.End)
                        {
                            Violation($"(3) leases overlap in real time: n{other.Owner.Id} e{other.Owner.Epoch} "
                                + $"[{other.Start / 1000:F3}, {other.End / 1000:F3}) ms and n{owner.Id} e{owner.Epoch} "
                                + $"[{lease.Start / 1000:F3}, {lease.End / 1000:F3}) ms");
                            return;
                        }
                    }
                }
            }
        }

        // An owner that was fenced, stopped or killed serves no more: its interval ends now, if not before.
        for (var i = _live.Count - 1; i >= 0; i--)
        {
            var (node, lease) = _live[i];
            if (node.Down || node.Owner != lease.Owner || !lease.Owner.MayServe)
            {
                lease.End = Math.Min(lease.End, Now);
                _live.RemoveAt(i);
            }
        }
    }

    private void Enqueue(SimEvent ev, long at) => _queue.Enqueue(ev with { At = at, Seq = ++_seq }, (at, _seq));

    /// <summary>Schedules an action in node <paramref name="node"/>'s current process: dropped if it crashes, deferred while paused.</summary>
    private void OnNode(SimNode node, long at, Action action) => Enqueue(new SimEvent(node.Id, node.Incarnation, action), at);

    private void Every(long period, Action action) => At(Now + period, () =>
    {
        action();
        Every(period, action);
    });

    private void Trace(string line)
    {
        if (_trace is not null)
        {
            _trace($"{Now / 1000.0,10:F3}ms {line}");
        }
    }

    private sealed class LeaseInterval(OwnerCore owner, double start)
    {
        public OwnerCore Owner { get; } = owner;

        public double Start { get; } = start;

        public double End { get; set; } = double.MinValue;
    }

    private sealed record SimEvent(int Node, int Incarnation, Action Action)
    {
        public long At { get; init; }

        public long Seq { get; init; }
    }
}
