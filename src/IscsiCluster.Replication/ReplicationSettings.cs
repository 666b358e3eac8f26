using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication;

/// <summary>
/// Everything the owner and replica state machines of one LUN need to know that does not change while they run: the LUN's
/// geometry, its replica set, and the protocol's timings and bounds. The host builds it from its configuration.
/// </summary>
public sealed record ReplicationSettings
{
    /// <summary>Size of the LUN in bytes.</summary>
    public required long SizeBytes { get; init; }

    /// <summary>The fixed replica set: node numbers. A majority is more than half of it.</summary>
    public required IReadOnlyList<int> Replicas { get; init; }

    /// <summary>Bytes per extent, the unit of catch-up when the tail no longer reaches back (64 MiB in production).</summary>
    public long ExtentBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>How many recent entries' metadata each replica keeps (its tail), for catch-up and undoing a divergent suffix.</summary>
    public int TailEntries { get; init; } = 4096;

    /// <summary>How many committed entries, with their data, the owner keeps in memory to resend to a lagging replica.</summary>
    public int WindowEntries { get; init; } = 1024;

    /// <summary>Bound on the data bytes of committed entries kept in the owner's resend window.</summary>
    public long WindowBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>Most entries in one Append message.</summary>
    public int MaxEntriesPerAppend { get; init; } = 64;

    /// <summary>Most entries sent to one replica and not yet acknowledged by it (the pipeline depth).</summary>
    public int MaxEntriesInFlight { get; init; } = 1024;

    /// <summary>Most block bytes in one catch-up chunk.</summary>
    public int CatchUpChunkBytes { get; init; } = 1024 * 1024;

    /// <summary>
    /// L, the read lease: an append or heartbeat acknowledged by a majority and sent at t lets the owner serve until
    /// t + L·(1 − <see cref="ClockDrift"/>); a new owner waits L·(1 + drift) minus the promised ages (REPLICATION.md
    /// "Reading, and why a lease").
    /// </summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>ρ, the largest relative rate error of any node's monotonic clock (0.01 = 1 %).</summary>
    public double ClockDrift { get; init; } = 0.01;

    /// <summary>How often an owner renews its lease when no append does; L/3 keeps it valid through two lost heartbeats.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromMilliseconds(600);

    /// <summary>How long an unanswered probe, promise, append, sync or catch-up request waits before it is sent again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A replica unheard for this long is reported Absent.</summary>
    public TimeSpan AbsentAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A catch-up that makes no progress for this long is abandoned and started again, from another source if one exists.</summary>
    public TimeSpan CatchUpStallTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A write or flush not completed after this long fails with <see cref="Owner.CompletionStatus.TimedOut"/>.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A replica syncs appends still unsynced after this long, so that the durable commit index keeps moving.</summary>
    public TimeSpan BackgroundSyncInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A catch-up source forgets (and releases the snapshot of) a session idle for this long.</summary>
    public TimeSpan CatchUpSessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Test-only broken behaviours; see <see cref="ProtocolBreakage"/>.</summary>
    internal ProtocolBreakage Breakage { get; init; }

    /// <summary>Replicas needed for a majority.</summary>
    public int Majority => (Replicas.Count / 2) + 1;

    /// <summary>The LUN's extents.</summary>
    public ExtentGeometry Geometry => new(SizeBytes, ExtentBytes);

    /// <summary>How long after sending an acknowledged message the owner may still serve: L·(1 − ρ) on its own clock.</summary>
    public TimeSpan LeaseGrant => LeaseDuration * (1 - ClockDrift);

    /// <summary>How long a new owner waits, on its own clock, for an older lease acknowledged just before a promise: L·(1 + ρ).</summary>
    public TimeSpan LeaseWait => LeaseDuration * (1 + ClockDrift);

    /// <summary>Throws when the settings cannot run the protocol; the host calls it once when it reads its configuration.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ExtentBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(TailEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(WindowEntries);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntriesPerAppend);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxEntriesInFlight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(CatchUpChunkBytes);
        if (Replicas is null || Replicas.Count == 0 || Replicas.Distinct().Count() != Replicas.Count)
        {
            throw new ArgumentException("The replica set must list distinct node numbers.", nameof(Replicas));
        }

        if (ClockDrift is < 0 or >= 0.5)
        {
            throw new ArgumentOutOfRangeException(nameof(ClockDrift), ClockDrift, "Clock drift must be in [0, 0.5).");
        }

        if (LeaseDuration <= TimeSpan.Zero || HeartbeatInterval <= TimeSpan.Zero || HeartbeatInterval >= LeaseGrant)
        {
            throw new ArgumentOutOfRangeException(nameof(HeartbeatInterval), HeartbeatInterval,
                "Heartbeats must come more often than the lease they renew lasts.");
        }

        if (RetryInterval <= TimeSpan.Zero || AbsentAfter <= TimeSpan.Zero || CatchUpStallTimeout <= TimeSpan.Zero
            || CommandTimeout <= TimeSpan.Zero || BackgroundSyncInterval <= TimeSpan.Zero || CatchUpSessionIdleTimeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryInterval), "Every interval and timeout must be positive.");
        }
    }
}
