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
