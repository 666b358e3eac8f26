namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>Process faults: kill -9 and restart (the store keeps everything written), and pauses (the clock keeps running).</summary>
internal sealed partial class SimCluster
{
    public void Crash(int id)
    {
        var node = Node(id);
        if (node.Down)
        {
            return;
        }

        node.Down = true;
        node.Incarnation++;
        node.Replica = null;
        node.Owner = null;
        node.PausedUntil = 0;
        node.Store.Inner.Crash();
        Trace($"n{id} crashes");
    }

    /// <summary>
    /// A power loss: the process dies, and its store keeps what was synced plus a random prefix of the writes after
    /// (whole writes only), or the first <paramref name="keep"/>. Only with <see cref="SimConfig.PowerLoss"/>.
    /// </summary>
    public void PowerFailure(int id, int? keep = null)
    {
        var node = Node(id);
        if (node.Down)
        {
            return;
        }

        var unsynced = node.Store.Inner.UnsyncedWrites;
        Crash(id);
        var kept = keep ?? (int)Random.Range(0, unsynced);
        node.Store.Inner.PowerLoss(kept);
        Trace($"n{id} loses power, keeping {Math.Min(kept, unsynced)} of {unsynced} unsynced writes");
    }

    public void Restart(int id)
    {
        var node = Node(id);
        if (!node.Down)
        {
            return;
        }

        StartProcess(node);
        Trace($"n{id} restarts at {node.Replica!.Last}, promised {node.Replica.Promised}");
    }

    /// <summary>Stops node <paramref name="id"/>'s process for <paramref name="micros"/>: it runs nothing, its clock runs on.</summary>
    public void Pause(int id, long micros)
    {
        var node = Node(id);
        if (node.Down)
        {
            return;
        }

        node.PausedUntil = Math.Max(node.PausedUntil, Now + micros);
        Trace($"n{id} paused until {node.PausedUntil / 1000.0:F3}ms");
    }
}
