using IscsiCluster.Config;
using IscsiCluster.Replication;

namespace IscsiCluster.Cluster.Replication;

/// <summary>The <c>iscsi-cluster.replication</c> section: the protocol's timings, the same for every LUN.</summary>
public sealed record ReplicationOptions
{
    private const string Section = "iscsi-cluster.replication";

    public required TimeSpan Lease { get; init; }

    public required double ClockDrift { get; init; }

    public required TimeSpan HeartbeatInterval { get; init; }

    public required TimeSpan RetryInterval { get; init; }

    public required TimeSpan AbsentAfter { get; init; }

    public required TimeSpan CommandTimeout { get; init; }

    public required long ExtentBytes { get; init; }

    public required int TailEntries { get; init; }

    /// <summary>How often owners run their timers (retries, heartbeats, lease checks, command timeouts).</summary>
    public required TimeSpan TickInterval { get; init; }

    /// <summary>How often replicas run theirs (the background sync of unsynced appends, forgetting idle catch-up sessions).</summary>
    public required TimeSpan ReplicaTickInterval { get; init; }

    public static ReplicationOptions Create(Config.Config config)
    {
        var section = config.WithFallback(ClusterSettings.Reference).GetConfig(Section);
        var options = new ReplicationOptions
        {
            Lease = section.GetTimeSpan("lease"),
            ClockDrift = section.GetDouble("clock-drift"),
            HeartbeatInterval = section.GetTimeSpan("heartbeat-interval"),
            RetryInterval = section.GetTimeSpan("retry-interval"),
            AbsentAfter = section.GetTimeSpan("absent-after"),
            CommandTimeout = section.GetTimeSpan("command-timeout"),
            ExtentBytes = section.GetByteSize("extent-size"),
            TailEntries = section.GetInt("tail-entries"),
            TickInterval = section.GetTimeSpan("tick-interval"),
            ReplicaTickInterval = section.GetTimeSpan("replica-tick-interval"),
        };
        try
        {
            if (options.TickInterval <= TimeSpan.Zero || options.TickInterval > options.RetryInterval / 2)
            {
                throw new ArgumentException($"tick-interval must be above 0 and at most half of retry-interval ({options.RetryInterval.TotalMilliseconds} ms)");
            }

            if (options.ReplicaTickInterval <= TimeSpan.Zero || options.ReplicaTickInterval > TimeSpan.FromSeconds(1))
            {
                throw new ArgumentException("replica-tick-interval must be above 0 and at most 1s (replicas sync what they hold unsynced once a second)");
            }

            options.For(1 << 20, [1]).Validate();
        }
        catch (ArgumentException e)
        {
            throw new ConfigException($"{Section}: {e.Message}");
        }

        return options;
    }

    /// <summary>The protocol settings of one LUN whose replicated address space is <paramref name="sizeBytes"/>.</summary>
    public ReplicationSettings For(long sizeBytes, IReadOnlyList<int> replicas) => new()
    {
        SizeBytes = sizeBytes,
        Replicas = replicas,
        ExtentBytes = ExtentBytes,
        TailEntries = TailEntries,
        LeaseDuration = Lease,
        ClockDrift = ClockDrift,
        HeartbeatInterval = HeartbeatInterval,
        RetryInterval = RetryInterval,
        AbsentAfter = AbsentAfter,
        CommandTimeout = CommandTimeout,
    };
}
