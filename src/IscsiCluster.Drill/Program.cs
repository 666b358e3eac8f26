using System.Text.Json;
using IscsiCluster.Drill;

// iscsi-cluster-drill KIND [--rounds N] [--json FILE]: see Usage.
const string Usage = """
    usage: iscsi-cluster drill KIND [--rounds N] [--json FILE] [--blocks N]

    Takes a node of the cluster on this machine away under load, brings it back, and checks that no
    acknowledged write was lost and no read went back in time. KIND:
      kill-owner     kill -9 of the node that owns the drill LUN, then its restart
      kill-replica   kill -9 of a node that keeps a replica but does not own it, then its restart
      hang-owner     SIGSTOP of the owner for 20 s (past failure detection), then SIGCONT and its return
      drain          a planned stop (SIGTERM) of the owner: its LUNs move to the others, then it returns
      rolling-restart  every node in turn drained, restarted and caught up before the next (one round: all)
      partition      a node cut off from the other two for 20 s while the initiator still reaches it (the owner
                     in odd rounds, a replica in even ones), then healed and returned; runs its own three nodes
                     in network namespaces on two bridges (cluster and storage networks; needs root)
    --single      kill-owner only: a single node of its own (state under .run/single, portal 127.0.0.1:3262)
                  is killed with kill -9 and started again, and every acknowledged write must survive
    --rounds N    rounds to run (default 3)
    --json FILE   also write the figures as JSON
    --blocks N    4 KiB blocks the workload writes and verifies (default 4096)
    """;

const string DrillTarget = "iqn.2026-11.io.iscsicluster:drill";
const int DrillTid = 90;
const int DrillLun = 1;

string? kind = null, jsonFile = null;
var rounds = 3;
var single = false;
long blocks = 4096;
var runDirectory = Environment.GetEnvironmentVariable("ISCSI_CLUSTER_RUN_DIR") ?? Path.Combine(Directory.GetCurrentDirectory(), ".run");
var launcher = Environment.GetEnvironmentVariable("ISCSI_CLUSTER_LAUNCHER") ?? Path.Combine(Directory.GetCurrentDirectory(), "iscsi-cluster");
var adminDll = Environment.GetEnvironmentVariable("ISCSI_CLUSTER_ADMIN_DLL") ?? Path.Combine(Directory.GetCurrentDirectory(), "artifacts", "admin", "iscsi-cluster-adm.dll");
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    try
    {
        switch (args[i])
        {
            case "--rounds": rounds = int.Parse(Next()); break;
            case "--json": jsonFile = Path.GetFullPath(Next()); break;
            case "--blocks": blocks = long.Parse(Next()); break;
            case "--single": single = true; break;
            case "-h" or "--help": Console.WriteLine(Usage); return 0;
            case var k when kind is null && !k.StartsWith('-'): kind = k; break;
            default: throw new ArgumentException($"unknown argument '{args[i]}'");
        }
    }
    catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
    {
        Console.Error.WriteLine($"drill: {e.Message}\n{Usage}");
        return 2;
    }
}

if (single && kind != "kill-owner")
{
    Console.Error.WriteLine($"drill: --single goes with kill-owner only\n{Usage}");
    return 2;
}

if (kind is null || !Drill.Kinds.Contains(kind) || rounds < 1 || blocks < 64)
{
    Console.Error.WriteLine(kind is not null && !Drill.Kinds.Contains(kind)
        ? $"drill: unknown or not yet available kind '{kind}' (available: {string.Join(", ", Drill.Kinds)})\n{Usage}"
        : $"drill: a kind, at least one round and at least 64 blocks are needed\n{Usage}");
    return 2;
}

NetworkLab? lab = null;
var environment = new Dictionary<string, string>();
if (kind == "partition")
{
    // Its own cluster, beside the user's: nodes in namespaces, their runs and configuration under .run/partition.
    runDirectory = Path.Combine(runDirectory, "partition");
    var configDirectory = Path.Combine(runDirectory, "config");
    Directory.CreateDirectory(configDirectory);
    var nodeEntries = Enumerable.Range(1, 3).Select(n =>
        "    { number = " + n + ", address = \"" + NetworkLab.ClusterAddress(n) + "\", portal-address = \"" + NetworkLab.StorageAddress(n)
        + "\", portal-port = 3260, remoting-port = 4053, data-port = 4054 }");
    File.WriteAllText(Path.Combine(configDirectory, "cluster.conf"),
        "# Written by the partition drill: three nodes in network namespaces, peers on 10.213.1.0/24, portals on 10.213.2.0/24.\n"
        + "iscsi-cluster.cluster {\n  nodes = [\n" + string.Join("\n", nodeEntries) + "\n  ]\n  replication-factor = 3\n}\n");
    for (var n = 1; n <= 3; n++)
    {
        File.WriteAllText(Path.Combine(configDirectory, $"node-{n}.conf"), $$"""
            include "cluster.conf"
            iscsi-cluster.node { number = {{n}}, name = "node-{{n}}" }
            """);
    }

    environment["ISCSI_CLUSTER_RUN_DIR"] = runDirectory;
    environment["ISCSI_CLUSTER_CONFIG_DIR"] = configDirectory;
    environment["ISCSI_CLUSTER_NETNS_PREFIX"] = NetworkLab.NamespacePrefix;
}

string[] up = ["up"];
if (single)
{
    // One node of its own beside the user's cluster: its own run directory, configuration and portal.
    runDirectory = Path.Combine(runDirectory, "single");
    Directory.CreateDirectory(runDirectory);
    var config = Path.Combine(runDirectory, "single.conf");
    File.WriteAllText(config,
        "# Written by the drill (--single): one node of its own.\n"
        + "iscsi-cluster {\n  node.name = \"node-1\"\n  iscsi { listen-address = \"127.0.0.1\", port = 3262 }\n}\n");
    environment["ISCSI_CLUSTER_RUN_DIR"] = runDirectory;
    up = ["up", "--config", config];
}

var cluster = new ClusterControl(runDirectory, launcher, adminDll, nodes: single ? 1 : 3) { LauncherEnvironment = environment, UpArguments = up };
try
{
    if (kind == "partition")
    {
        cluster.Down();
        lab = NetworkLab.Create(cluster.Nodes);
    }

    if (Enumerable.Range(1, cluster.Nodes).Any(n => cluster.Pid(n) is null))
    {
        Console.WriteLine("starting the cluster (./iscsi-cluster up) ...");
        cluster.Up();
    }

    // The drill's own target and LUN, made once; it never touches the user's.
    var (_, shown) = cluster.Adm("--lld", "iscsi", "--op", "show", "--mode", "target");
    if (!shown.Contains($": {DrillTarget}", StringComparison.Ordinal))
    {
        foreach (var command in (string[][])[
            ["--lld", "iscsi", "--op", "new", "--mode", "target", "--tid", $"{DrillTid}", "-T", DrillTarget],
            ["--lld", "iscsi", "--op", "new", "--mode", "logicalunit", "--tid", $"{DrillTid}", "--lun", $"{DrillLun}", "--bsopts", "size=64M"],
            ["--lld", "iscsi", "--op", "bind", "--mode", "target", "--tid", $"{DrillTid}", "-I", "ALL"]])
        {
            var (code, output) = cluster.Adm(command);
            if (code != 0)
            {
                throw new InvalidOperationException($"adm {string.Join(' ', command)}: {output}");
            }
        }
    }

    var status = cluster.Status(1) ?? throw new InvalidOperationException("node-1 gives no status");
    var portals = status.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("portal").GetString()!).ToArray();
    var portalNodes = status.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("number").GetInt32()).ToArray();
    var workload = new Workload(portals, DrillTarget, DrillLun, blocks);
    Console.WriteLine($"drill {kind}: {rounds} round(s), {blocks} blocks of 4 KiB through {string.Join(", ", portals)}");
    workload.Prefill();

    var drill = new Drill(kind, cluster, workload, DrillTid, DrillLun, Console.Out, lab);
    var reports = new List<RoundReport>();
    for (var round = 1; round <= rounds; round++)
    {
        var report = drill.RunRound(round);
        reports.Add(report);
        Console.WriteLine(
            $"round {round}: {(report.Victim == 0 ? "every node" : $"node-{report.Victim}")} (owner node-{report.OwnerBefore} -> {(report.OwnerAfter is { } a ? $"node-{a}" : "?")}): " +
            $"longest pause {report.LongestPauseS:0.00} s, errors {report.Errors}, acknowledged {report.Acknowledged}, reads {report.Reads}, " +
            $"lost {report.Lost}, stale reads {report.StaleReads}, catch-up {(report.CatchUpS is { } c ? $"{c:0.00} s" : "none")}; " +
            $"timeline: pause from {report.Timeline.PauseFrom:0.00} s, unreachable at {report.Timeline.Detected:0.00} s, down at {report.Timeline.NodeDown:0.00} s, " +
            $"new owner serving at {report.Timeline.NewOwnerServing:0.00} s, first I/O answered at {report.Timeline.FirstIoAnswered:0.00} s");
        Console.WriteLine(
            $"    I/O latency before: {Describe(report.SteadyLatency)}{OwnerShare(report.SteadyLatency, Array.IndexOf(portalNodes, report.OwnerBefore))}; while catching up: {Describe(report.CatchUpLatency)}");
        foreach (var problem in report.Problems)
        {
            Console.WriteLine($"    {problem}");
        }
    }

    var pauses = reports.Select(r => r.LongestPauseS).Order().ToArray();
    var catchUps = reports.Where(r => r.CatchUpS is not null).Select(r => r.CatchUpS!.Value).Order().ToArray();
    Console.WriteLine(
        $"{kind}: {rounds} round(s); I/O pause median {pauses[pauses.Length / 2]:0.00} s, longest {pauses[^1]:0.00} s; " +
        $"catch-up median {(catchUps.Length > 0 ? $"{catchUps[catchUps.Length / 2]:0.00} s" : "-")}" +
        $" (I/O p99 during it: median {Median(reports.Select(r => r.CatchUpLatency?.P99Ms))} ms, before: {Median(reports.Select(r => r.SteadyLatency?.P99Ms))} ms); " +
        $"errors {reports.Sum(r => r.Errors)}, acknowledged {reports.Sum(r => r.Acknowledged)}, lost {reports.Sum(r => r.Lost)}, stale reads {reports.Sum(r => r.StaleReads)}");
    if (jsonFile is not null)
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };
        File.WriteAllText(jsonFile, JsonSerializer.Serialize(new { kind, rounds = reports }, options));
        Console.WriteLine($"JSON written to {jsonFile}");
    }

    return reports.All(r => r.Lost == 0 && r.StaleReads == 0) ? 0 : 1;
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine($"drill: {e.Message}");
    return 3;
}
finally
{
    if (lab is not null)
    {
        cluster.Down();
        lab.Dispose();
    }
}

static string Describe(LatencySummary? latency) =>
    latency is { } l ? $"median {l.P50Ms:0.0} ms, p99 {l.P99Ms:0.0} ms, longest {l.MaxMs:0.0} ms over {l.Commands} commands" : "-";

// Multipath follows ALUA: before the node leaves, nearly every command goes down the owner's (active/optimized) path.
static string OwnerShare(LatencySummary? latency, int ownerPath) =>
    latency is { Commands: > 0 } l && ownerPath >= 0
        ? $", {100.0 * (ownerPath < l.ByPath.Count ? l.ByPath[ownerPath] : 0) / l.Commands:0.0} % through the owner's portal"
        : "";

static string Median(IEnumerable<double?> values)
{
    var known = values.Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
    return known.Length == 0 ? "-" : $"{known[known.Length / 2]:0.0}";
}
