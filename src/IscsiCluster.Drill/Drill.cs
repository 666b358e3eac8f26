using System.Text.Json;

namespace IscsiCluster.Drill;

/// <summary>One round's figures (the JSON report's names).</summary>
internal sealed record RoundReport(
    int Round,
    int Victim,
    int OwnerBefore,
    int? OwnerAfter,
    double LongestPauseS,
    int Errors,
    long Acknowledged,
    long Reads,
    int Lost,
    int StaleReads,
    double? CatchUpS,
    Timeline Timeline,
    IReadOnlyList<string> Problems)
{
    /// <summary>I/O latency before the node was taken away, for comparison.</summary>
    public LatencySummary? SteadyLatency { get; init; }

    /// <summary>I/O latency while the returning node caught up (the last catch-up of a rolling restart).</summary>
    public LatencySummary? CatchUpLatency { get; init; }
}

/// <summary>
/// Seconds from the signal: the initiator's longest pause began; the survivors saw the victim unreachable, then downed
/// it (their logs); a new owner served (its log); the initiator's pause ended.
/// </summary>
internal sealed record Timeline(double? PauseFrom, double? Detected, double? NodeDown, double? NewOwnerServing, double? FirstIoAnswered);

/// <summary>
/// A failover drill: rounds of taking one node away under load (kill -9 of the LUN's owner or of a replica, SIGSTOP
/// of the owner past failure detection, or a planned stop of the owner), bringing it back, and checking with <see cref="Workload"/> that
/// nothing acknowledged was lost and no read went back in time. A rolling restart's round drains, restarts and catches up
/// every node in turn under the same load.
/// </summary>
internal sealed class Drill(string kind, ClusterControl cluster, Workload workload, int tid, int lun, TextWriter log, NetworkLab? lab = null)
{
    public static readonly string[] Kinds = ["kill-owner", "kill-replica", "hang-owner", "drain", "rolling-restart", "partition"];

    /// <summary>How long a hung owner stays stopped, or a node cut off: well past failure detection and downing.</summary>
    public static readonly TimeSpan HangFor = TimeSpan.FromSeconds(20);

    private static readonly TimeSpan LoadBefore = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan LoadAfterResume = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(120);

    public RoundReport RunRound(int round)
    {
        if (kind == "rolling-restart")
        {
            return RunRollingRestart(round);
        }

        if (cluster.Nodes == 1)
        {
            return RunSingleNodeCrash(round);
        }

        var problems = new List<string>();
        var before = WaitHealthy();
        var owner = OwnerOf(before) ?? throw new InvalidOperationException("the drill LUN has no owner");
        var replicaRound = kind == "kill-replica" || (kind == "partition" && round % 2 == 0);
        var victim = replicaRound ? Enumerable.Range(1, cluster.Nodes).Where(n => n != owner).ElementAt(round % (cluster.Nodes - 1)) : owner;
        var survivor = Enumerable.Range(1, cluster.Nodes).First(n => n != victim);

        using var load = Load.Start(workload);
        Thread.Sleep(LoadBefore);

        var volume = Lun(before)!.Value.GetProperty("volumeId").GetUInt64();
        var signalledAt = DateTime.Now;
        var signalled = workload.Now;
        var (signal, signalName) = kind switch
        {
            "hang-owner" => (ClusterControl.SigStop, "SIGSTOP"),
            "drain" => (ClusterControl.SigTerm, "SIGTERM (drain)"),
            "partition" => (0, "cut off from its peers:"),
            _ => (ClusterControl.SigKill, "kill -9"),
        };
        if (kind == "partition")
        {
            lab!.Isolate(victim);
        }
        else
        {
            cluster.Signal(victim, signal);
        }

        log.WriteLine($"round {round}: {signalName} node-{victim} (owner node-{owner}) at {signalled:0.000} s");

        // Wait until a new owner serves (the owner stays when a replica is lost); the timeline comes from the logs later.
        var deadline = DateTime.UtcNow + FailoverLimit;
        var served = false;
        while (DateTime.UtcNow < deadline && !served)
        {
            Thread.Sleep(250);
            served = cluster.Status(survivor) is { } status && Lun(status) is { } l && l.GetProperty("state").GetString() == "serving"
                && l.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.Number && (victim != owner || o.GetInt32() != victim);
        }

        if (!served)
        {
            problems.Add($"no owner served within {FailoverLimit.TotalSeconds:0} s");
        }

        if (kind == "drain" && !WaitExit(victim))
        {
            problems.Add($"node-{victim} still runs 60 s after SIGTERM");
        }

        if (kind is "hang-owner" or "partition")
        {
            var resume = signalled + HangFor.TotalSeconds - workload.Now;
            if (resume > 0)
            {
                Thread.Sleep(TimeSpan.FromSeconds(resume));
            }

            if (kind == "partition")
            {
                lab!.Heal(victim);
                log.WriteLine($"round {round}: node-{victim} joined to its peers again at {workload.Now:0.000} s");
            }
            else
            {
                cluster.Signal(victim, ClusterControl.SigCont);
                log.WriteLine($"round {round}: SIGCONT node-{victim} at {workload.Now:0.000} s");
            }

            // A downed node cannot rejoin: it stops itself, and comes back below as a new incarnation.
            if (!WaitExit(victim))
            {
                problems.Add($"node-{victim} still runs 60 s after it was {(kind == "partition" ? "joined again" : "continued")}");
            }
        }

        Thread.Sleep(LoadAfterResume);
        var returned = workload.Now;
        var catchUp = Return(survivor, problems);
        Thread.Sleep(LoadAfterResume);
        var (result, lost) = load.StopAndVerify(problems);

        var pauseFrom = result.LongestPauseFrom - signalled;
        var ownerAfter = OwnerOf(WaitHealthy());
        var survivors = Enumerable.Range(1, cluster.Nodes).Where(n => n != victim).ToArray();
        double? Since(DateTime? at) => at is { } t ? Math.Round((t - signalledAt).TotalSeconds, 3) : null;
        var detected = survivors.Select(n => cluster.FirstLogLine(n, signalledAt, $"node-{victim} is now Unreachable")).Min();
        var downed = survivors.Select(n => cluster.FirstLogLine(n, signalledAt, $"node-{victim} is now Down")).Min();
        var newOwnerServing = survivors.Select(n => cluster.FirstLogLine(n, signalledAt, $"LUN {volume:x15}: owner here is Serving")).Min();
        return new RoundReport(
            round, victim, owner, ownerAfter, Math.Round(result.LongestPauseSeconds, 3), result.Errors, result.Acknowledged, result.Reads, lost,
            result.StaleReads, catchUp is { } c ? Math.Round(c, 3) : null,
            new Timeline(Math.Round(pauseFrom, 3), Since(detected), Since(downed), Since(newOwnerServing), Math.Round(result.LongestPauseTo - signalled, 3)),
            problems)
        {
            SteadyLatency = result.LatencyBetween(signalled - LoadBefore.TotalSeconds + 1, signalled),
            CatchUpLatency = catchUp is { } span ? result.LatencyBetween(returned, returned + span) : null,
        };
    }

    /// <summary>
    /// One round of a rolling restart: each node in turn is drained (SIGTERM), restarted, and caught up before the next,
    /// while the load runs through every portal. The timeline is the owner's step, where the LUN moves; the catch-up
    /// time is the longest of the three.
    /// </summary>
    private RoundReport RunRollingRestart(int round)
    {
        var problems = new List<string>();
        var before = WaitHealthy();
        var owner = OwnerOf(before) ?? throw new InvalidOperationException("the drill LUN has no owner");
        var volume = Lun(before)!.Value.GetProperty("volumeId").GetUInt64();

        using var load = Load.Start(workload);
        Thread.Sleep(LoadBefore);

        double? longestCatchUp = 0;
        LatencySummary? catchUpLatency = null;
        var loadStarted = workload.Now - LoadBefore.TotalSeconds;
        var lastReturn = (From: 0.0, Seconds: (double?)null);
        DateTime ownerSignalledAt = default;
        double ownerSignalled = 0;
        for (var node = 1; node <= cluster.Nodes; node++)
        {
            var signalledAt = DateTime.Now;
            var signalled = workload.Now;
            if (node == owner)
            {
                (ownerSignalledAt, ownerSignalled) = (signalledAt, signalled);
            }

            cluster.Signal(node, ClusterControl.SigTerm);
            log.WriteLine($"round {round}: SIGTERM (drain) node-{node} at {signalled:0.000} s");
            if (!WaitExit(node))
            {
                problems.Add($"node-{node} still runs 60 s after SIGTERM");
            }

            var returned = workload.Now;
            var catchUp = Return(node % cluster.Nodes + 1, problems);
            lastReturn = (returned, catchUp);
            log.WriteLine($"round {round}: node-{node} back and in sync after {catchUp:0.00} s");
            longestCatchUp = catchUp is { } c && longestCatchUp is { } l ? Math.Max(c, l) : null;
            WaitHealthy();
        }

        Thread.Sleep(LoadAfterResume);
        var (result, lost) = load.StopAndVerify(problems);
        if (lastReturn.Seconds is { } last)
        {
            catchUpLatency = result.LatencyBetween(lastReturn.From, lastReturn.From + last);
        }

        var ownerAfter = OwnerOf(WaitHealthy());
        double? Since(DateTime? at) => at is { } t ? Math.Round((t - ownerSignalledAt).TotalSeconds, 3) : null;
        var survivors = Enumerable.Range(1, cluster.Nodes).Where(n => n != owner).ToArray();
        var newOwnerServing = survivors.Select(n => cluster.FirstLogLine(n, ownerSignalledAt, $"LUN {volume:x15}: owner here is Serving")).Min();
        return new RoundReport(
            round, 0, owner, ownerAfter, Math.Round(result.LongestPauseSeconds, 3), result.Errors, result.Acknowledged, result.Reads, lost,
            result.StaleReads, longestCatchUp is { } lc ? Math.Round(lc, 3) : null,
            new Timeline(Math.Round(result.LongestPauseFrom - ownerSignalled, 3), null, null, Since(newOwnerServing),
                Math.Round(result.LongestPauseTo - ownerSignalled, 3)),
            problems)
        {
            SteadyLatency = result.LatencyBetween(loadStarted + 1, loadStarted + LoadBefore.TotalSeconds),
            CatchUpLatency = catchUpLatency,
        };
    }

    /// <summary>
    /// One round of a single node's crash: kill -9 under load, started again at once; the initiator queues meanwhile, and
    /// every write it had acknowledged must be there afterwards (the store's durability, without replicas to fall back on).
    /// </summary>
    private RoundReport RunSingleNodeCrash(int round)
    {
        var problems = new List<string>();
        WaitHealthy();
        using var load = Load.Start(workload);
        Thread.Sleep(LoadBefore);

        var signalled = workload.Now;
        cluster.Signal(1, ClusterControl.SigKill);
        log.WriteLine($"round {round}: kill -9 node-1 (the only node) at {signalled:0.000} s");
        if (!WaitExit(1))
        {
            problems.Add("node-1 still runs 60 s after kill -9");
        }

        var returned = workload.Now;
        var back = Return(1, problems);
        Thread.Sleep(LoadAfterResume);
        var (result, lost) = load.StopAndVerify(problems);
        return new RoundReport(
            round, 1, 1, 1, Math.Round(result.LongestPauseSeconds, 3), result.Errors, result.Acknowledged, result.Reads, lost,
            result.StaleReads, back is { } b ? Math.Round(b, 3) : null,
            new Timeline(Math.Round(result.LongestPauseFrom - signalled, 3), null, null, null, Math.Round(result.LongestPauseTo - signalled, 3)),
            problems)
        {
            SteadyLatency = result.LatencyBetween(signalled - LoadBefore.TotalSeconds + 1, signalled),
            CatchUpLatency = back is { } span ? result.LatencyBetween(returned, returned + span) : null,
        };
    }

    /// <summary>
    /// Starts the nodes that are not running (<c>up</c>) and waits until every replica of the drill LUN is in sync, as
    /// <paramref name="survivor"/> reports it; the seconds that took, or null (and a problem) after 3 minutes.
    /// </summary>
    private double? Return(int survivor, List<string> problems)
    {
        var restarted = workload.Now;
        cluster.Up();
        var syncBy = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (DateTime.UtcNow < syncBy)
        {
            if (cluster.Status(survivor) is { } status && Lun(status) is { } l
                && l.GetProperty("replicas").EnumerateArray().All(r => r.GetProperty("health").GetString() == "in-sync"))
            {
                return workload.Now - restarted;
            }

            Thread.Sleep(250);
        }

        problems.Add("the returning replica did not catch up within 3 minutes");
        return null;
    }

    /// <summary>Waits up to a minute for the node's process to end; false when it still runs.</summary>
    private bool WaitExit(int node)
    {
        var exitBy = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (cluster.Pid(node) is not null && DateTime.UtcNow < exitBy)
        {
            Thread.Sleep(100);
        }

        return cluster.Pid(node) is null;
    }

    /// <summary>Waits until every node is up and the drill LUN's replicas are all in sync; the status then.</summary>
    private JsonElement WaitHealthy()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            if (Enumerable.Range(1, cluster.Nodes).All(n => cluster.Pid(n) is not null) && cluster.Status(1) is { } status
                && status.GetProperty("nodes").EnumerateArray().All(n => n.GetProperty("state").GetString() == "up")
                && Lun(status) is { } l && l.GetProperty("state").GetString() == "serving"
                && l.GetProperty("replicas").EnumerateArray().All(r => r.GetProperty("health").GetString() == "in-sync"))
            {
                return status;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException("the cluster did not become healthy (three nodes up, the drill LUN in sync) within 3 minutes");
            }

            Thread.Sleep(500);
        }
    }

    private JsonElement? Lun(JsonElement status)
    {
        foreach (var l in status.GetProperty("luns").EnumerateArray())
        {
            if (l.GetProperty("tid").GetInt32() == tid && l.GetProperty("lun").GetInt32() == lun)
            {
                return l;
            }
        }

        return null;
    }

    private int? OwnerOf(JsonElement status) =>
        Lun(status) is { } l && l.TryGetProperty("owner", out var o) && o.ValueKind == JsonValueKind.Number ? o.GetInt32() : null;

    private static string? StateOf(JsonElement status, int node) =>
        status.GetProperty("nodes").EnumerateArray().FirstOrDefault(n => n.GetProperty("number").GetInt32() == node) is { ValueKind: JsonValueKind.Object } n
            ? n.GetProperty("state").GetString()
            : null;

    /// <summary>The workload running on its own thread for one round; stopping it verifies every block.</summary>
    private sealed class Load : IDisposable
    {
        private readonly Workload _workload;
        private readonly CancellationTokenSource _stop = new();
        private readonly Thread _thread;
        private WorkloadReport? _report;

        private Load(Workload workload)
        {
            _workload = workload;
            _thread = new Thread(() => _report = workload.Run(_stop.Token)) { IsBackground = true };
        }

        public static Load Start(Workload workload)
        {
            var load = new Load(workload);
            load._thread.Start();
            return load;
        }

        /// <summary>Stops the workers, reads every block back, and adds what went wrong to <paramref name="problems"/>.</summary>
        public (WorkloadReport Report, int Lost) StopAndVerify(List<string> problems)
        {
            _stop.Cancel();
            _thread.Join();
            var (lost, samples) = _workload.Verify();
            problems.AddRange(_report!.ErrorSamples);
            problems.AddRange(samples);
            return (_report, lost);
        }

        public void Dispose() => _stop.Dispose();
    }
}
