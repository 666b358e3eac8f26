using System.Diagnostics;

namespace IscsiCluster.Drill;

/// <summary>What a workload saw in one round.</summary>
internal sealed record WorkloadReport(
    long Acknowledged,
    long Reads,
    int Errors,
    int StaleReads,
    double LongestPauseSeconds,
    double LongestPauseFrom,
    double LongestPauseTo,
    IReadOnlyList<string> ErrorSamples,
    IReadOnlyList<IoTime> Ios)
{
    /// <summary>Latency percentiles (ms) of the commands issued between <paramref name="from"/> and <paramref name="to"/> (drill seconds); null when none was.</summary>
    public LatencySummary? LatencyBetween(double from, double to)
    {
        var ios = Ios.Where(io => io.Issued >= from && io.Issued < to).ToArray();
        var latencies = ios.Select(io => io.Latency * 1000).Order().ToArray();
        return latencies.Length == 0
            ? null
            : new LatencySummary(latencies.Length, Math.Round(latencies[latencies.Length / 2], 2), Math.Round(latencies[(int)(latencies.Length * 0.99)], 2), Math.Round(latencies[^1], 2))
            {
                ByPath = [.. Enumerable.Range(0, ios.Max(io => io.Path) + 1).Select(path => ios.Count(io => io.Path == path))],
            };
    }
}

/// <summary>One command: when it was issued (drill seconds), how long until it was answered (seconds), and the path (portal index) that answered it last.</summary>
internal readonly record struct IoTime(double Issued, double Latency, int Path);

/// <summary>How many commands, and their median, 99th percentile and longest latency in milliseconds.</summary>
internal sealed record LatencySummary(int Commands, double P50Ms, double P99Ms, double MaxMs)
{
    /// <summary>How many of the commands each path (portal index) answered or turned away last.</summary>
    public IReadOnlyList<int> ByPath { get; init; } = [];
}

/// <summary>
/// Writes unique, checksummed 4 KiB blocks and reads them back, through a <see cref="MultipathDevice"/> per worker; each
/// worker has blocks of its own and one command in flight, so each block's history is a sequence and a register check
/// is exact: a read must return the block's last acknowledged write. Every acknowledged write is remembered across
/// rounds, and <see cref="Verify"/> reads every block back through each portal.
/// </summary>
internal sealed class Workload
{
    private const int BlockSize = 512;
    private const int Workers = 2;
    private readonly IReadOnlyList<string> _portals;
    private readonly string _target;
    private readonly int _lun;
    private readonly long _blocks;
    private readonly long[] _acknowledged;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private long _version;

    public Workload(IReadOnlyList<string> portals, string target, int lun, long blocks)
    {
        _portals = portals;
        _target = target;
        _lun = lun;
        _blocks = blocks;
        _acknowledged = new long[blocks];
    }

    /// <summary>Seconds on the drill's clock.</summary>
    public double Now => _clock.Elapsed.TotalSeconds;

    /// <summary>Writes every block once, so every block has a known version before the first round.</summary>
    public void Prefill()
    {
        using var device = NewDevice("prefill");
        var data = new byte[BlockContent.Size];
        for (long block = 0; block < _blocks; block++)
        {
            var version = Interlocked.Increment(ref _version);
            BlockContent.Fill(data, block, version);
            if (!device.Execute(path => path.Write(Lba(block), data, BlockSize)))
            {
                throw new InvalidOperationException($"prefill: block {block} was not written: {device.LastError}");
            }

            _acknowledged[block] = version;
        }
    }

    /// <summary>Runs the workers until <paramref name="stop"/> is cancelled.</summary>
    public WorkloadReport Run(CancellationToken stop)
    {
        var results = new WorkerResult[Workers];
        var threads = Enumerable.Range(0, Workers).Select(w => new Thread(() => results[w] = RunWorker(w, stop)) { IsBackground = true }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        var longest = results.MaxBy(r => r.LongestPause)!;
        return new WorkloadReport(
            results.Sum(r => r.Acknowledged),
            results.Sum(r => r.Reads),
            results.Sum(r => r.Errors.Count),
            results.Sum(r => r.StaleReads),
            longest.LongestPause,
            longest.PauseFrom,
            longest.PauseFrom + longest.LongestPause,
            [.. results.SelectMany(r => r.Errors).Take(5)],
            [.. results.SelectMany(r => r.Ios)]);
    }

    private sealed class WorkerResult
    {
        public long Acknowledged;
        public long Reads;
        public int StaleReads;
        public double LongestPause;
        public double PauseFrom;
        public List<string> Errors { get; } = [];

        public List<IoTime> Ios { get; } = [];
    }

    private WorkerResult RunWorker(int worker, CancellationToken stop)
    {
        var result = new WorkerResult();
        using var device = NewDevice($"w{worker}");
        var random = new Random(Environment.TickCount ^ worker);
        var data = new byte[BlockContent.Size];
        var first = _blocks * worker / Workers;
        var count = _blocks * (worker + 1) / Workers - first;
        while (!stop.IsCancellationRequested)
        {
            var block = first + random.NextInt64(count);
            var issued = Now;
            bool ok;
            if (random.Next(10) < 7)
            {
                var version = Interlocked.Increment(ref _version);
                BlockContent.Fill(data, block, version);
                ok = device.Execute(path => path.Write(Lba(block), data, BlockSize));
                if (ok)
                {
                    _acknowledged[block] = version;
                    result.Acknowledged++;
                }
            }
            else
            {
                ok = device.Execute(path => path.Read(Lba(block), data, BlockSize));
                if (ok)
                {
                    result.Reads++;
                    var seen = BlockContent.VersionOf(data, block);
                    if (seen != _acknowledged[block])
                    {
                        result.StaleReads++;
                        result.Errors.Add($"block {block}: read version {seen?.ToString() ?? "none"} at {issued:0.000} s, last acknowledged {_acknowledged[block]}");
                    }
                }
            }

            var answered = Now;
            if (!ok)
            {
                result.Errors.Add($"block {block} at {issued:0.000} s: {device.LastError}");
            }

            var pause = answered - issued;
            result.Ios.Add(new IoTime(issued, pause, device.LastPath));
            if (pause > result.LongestPause)
            {
                result.LongestPause = pause;
                result.PauseFrom = issued;
            }
        }

        return result;
    }

    /// <summary>Reads every block back through each portal (or those given): how many do not hold their last acknowledged write.</summary>
    public (int Lost, IReadOnlyList<string> Samples) Verify(IReadOnlyList<string>? portals = null)
    {
        var lost = 0;
        var samples = new List<string>();
        const int BlocksPerRead = 64;
        var buffer = new byte[BlockContent.Size * BlocksPerRead];
        foreach (var portal in portals ?? _portals)
        {
            using var device = new MultipathDevice([portal], _target, _lun, Initiator("verify"), _clock);
            for (long block = 0; block < _blocks; block += BlocksPerRead)
            {
                var blocks = (int)Math.Min(BlocksPerRead, _blocks - block);
                var chunk = blocks == BlocksPerRead ? buffer : new byte[blocks * BlockContent.Size];
                var first = block;
                if (!device.Execute(path => path.Read(Lba(first), chunk, BlockSize)))
                {
                    throw new InvalidOperationException($"verify: {portal} did not read blocks {block}..{block + blocks - 1}: {device.LastError}");
                }

                for (var i = 0; i < blocks; i++)
                {
                    var number = block + i;
                    var seen = BlockContent.VersionOf(chunk.AsSpan(i * BlockContent.Size, BlockContent.Size), number);
                    if (seen != _acknowledged[number])
                    {
                        lost++;
                        if (samples.Count < 5)
                        {
                            samples.Add($"{portal} block {number}: version {seen?.ToString() ?? "none"}, acknowledged {_acknowledged[number]}");
                        }
                    }
                }
            }
        }

        return (lost, samples);
    }

    private MultipathDevice NewDevice(string name) => new(_portals, _target, _lun, Initiator(name), _clock);

    private static string Initiator(string name) => $"iqn.2026-11.io.iscsicluster:drill-{name}";

    private static long Lba(long block) => block * (BlockContent.Size / BlockSize);
}
