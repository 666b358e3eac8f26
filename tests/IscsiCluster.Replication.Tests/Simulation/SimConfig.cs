namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// The simulated world's parameters: the protocol settings (a tiny LUN, small extents, a small tail and window, so that every
/// catch-up path runs within a few dozen writes) and the network's faults.
/// </summary>
internal sealed record SimConfig
{
    public const int Blocks = 16;
    public const long TickMicros = 10_000;

    public required ReplicationSettings Settings { get; init; }

    public double LossProbability { get; init; }

    public double DuplicationProbability { get; init; }

    public long MinDelayMicros { get; init; } = 500;

    public long MaxJitterMicros { get; init; } = 2_000;

    /// <summary>Probability that a message is held back 0.3–1.5 s: delayed past a new epoch.</summary>
    public double LongDelayProbability { get; init; }

    /// <summary>How long the sharding layer takes to notice its owner is gone and designate another.</summary>
    public long FailureDetectionMicros { get; init; } = 250_000;

    /// <summary>Each node's clock rate, when a scripted test sets them (otherwise random within 0.9 ρ of 1).</summary>
    public IReadOnlyList<double>? ClockRates { get; init; }

    /// <summary>Stores keep what a power loss needs; the checks then require only durably acknowledged writes to survive.</summary>
    public bool PowerLoss { get; init; }

    public int Replicas => Settings.Replicas.Count;

    public static SimConfig For(int replicas, int sizes = 0, ProtocolBreakage breakage = ProtocolBreakage.None)
    {
        var (tail, window, chunk, extent) = sizes switch
        {
            1 => (16, 32, 64, 32),
            2 => (2, 2, 8, 32),
            3 => (8, 4, 40, 64),
            _ => (4, 6, 24, 32),
        };
        return new SimConfig
        {
            Settings = new ReplicationSettings
            {
                SizeBytes = Blocks * BlockData.BlockBytes,
                Replicas = Enumerable.Range(1, replicas).ToArray(),
                ExtentBytes = extent,
                TailEntries = tail,
                WindowEntries = window,
                WindowBytes = 1024,
                MaxEntriesPerAppend = 4,
                MaxEntriesInFlight = 16,
                CatchUpChunkBytes = chunk,
                LeaseDuration = TimeSpan.FromMilliseconds(200),
                ClockDrift = 0.01,
                HeartbeatInterval = TimeSpan.FromMilliseconds(60),
                RetryInterval = TimeSpan.FromMilliseconds(20),
                AbsentAfter = TimeSpan.FromMilliseconds(150),
                CatchUpStallTimeout = TimeSpan.FromMilliseconds(150),
                CommandTimeout = TimeSpan.FromMilliseconds(1500),
                BackgroundSyncInterval = TimeSpan.FromMilliseconds(50),
                CatchUpSessionIdleTimeout = TimeSpan.FromMilliseconds(400),
                Breakage = breakage,
            },
        };
    }

    public static SimConfig For(SimSpec spec) => For(spec.Replicas, spec.Sizes, spec.Breakage) with
    {
        LossProbability = spec.Loss switch { 1 => 0.01, 2 => 0.05, 3 => 0.15, _ => 0 },
        DuplicationProbability = spec.Duplication switch { 1 => 0.01, 2 => 0.05, 3 => 0.10, _ => 0 },
        MaxJitterMicros = spec.Delay switch { 1 => 10_000, 2 or 3 => 40_000, _ => 2_000 },
        LongDelayProbability = spec.Delay switch { 2 => 0.002, 3 => 0.02, _ => 0 },
        PowerLoss = spec.PowerLoss,
    };
}
