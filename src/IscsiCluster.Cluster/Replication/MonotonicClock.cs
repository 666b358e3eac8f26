using System.Diagnostics;

namespace IscsiCluster.Cluster.Replication;

/// <summary>
/// The node's monotonic clock for the replication protocol (leases, retries): CLOCK_MONOTONIC on Linux, which keeps
/// running while the process is stopped (SIGSTOP), so a paused owner's lease has run out when it wakes. Only durations
/// measured on one node are ever compared.
/// </summary>
public static class MonotonicClock
{
    private static readonly long Origin = Stopwatch.GetTimestamp();

    /// <summary>Time since the process started.</summary>
    public static TimeSpan Now => Stopwatch.GetElapsedTime(Origin);
}
