using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Replica;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// One simulated node: its store (which outlives crashes, as RocksDB does), the replica and owner state machines of its
/// current process, its monotonic clock (own rate, within the drift bound), and whether it is down or paused.
/// </summary>
internal sealed class SimNode(int id, CheckedStore store, double clockRate, long clockOffsetTicks)
{
    public int Id { get; } = id;

    public CheckedStore Store { get; } = store;

    public ReplicaCore? Replica { get; set; }

    public OwnerCore? Owner { get; set; }

    public bool Down { get; set; }

    /// <summary>Real time (µs) until which the process is stopped (SIGSTOP, GC, VM pause); its clock keeps running.</summary>
    public long PausedUntil { get; set; }

    /// <summary>Bumped at every crash: events bound to an older process are dropped.</summary>
    public int Incarnation { get; set; }

    /// <summary>What this node last heard from the sharding layer: should it host the LUN's owner?</summary>
    public bool BelievesDesignated { get; set; }

    public int DesignationVersion { get; set; }

    public long NextOwnerAttempt { get; set; }

    public long LastLocalDelivery { get; set; }

    public bool IsPaused(long now) => PausedUntil > now;

    /// <summary>The node's monotonic clock at real time <paramref name="nowMicros"/>.</summary>
    public TimeSpan Clock(long nowMicros) => TimeSpan.FromTicks(clockOffsetTicks + (long)(nowMicros * 10 * clockRate));

    /// <summary>The real time (µs) at which this node's clock shows <paramref name="local"/>.</summary>
    public double RealTimeOf(TimeSpan local) => (local.Ticks - clockOffsetTicks) / (10 * clockRate);
}
