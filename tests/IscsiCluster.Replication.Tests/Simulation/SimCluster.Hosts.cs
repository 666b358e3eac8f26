using IscsiCluster.Replication.Owner;
using IscsiCluster.Replication.Replica;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// What the future host does, simulated: each node's process runs a replica and, when the sharding layer says so, an owner;
/// ticks them; and a controller plays Akka.Cluster.Sharding with its failure detector, moving the owner off a node that is
/// down, paused or cut from the majority, and telling nodes late (a paused or cut-off node learns only when it can).
/// </summary>
internal sealed partial class SimCluster
{
    private int _designationVersion;
    private long? _unhealthySince;

    /// <summary>Nodes meant to host the owner, the current one first (more than one: a hand-off under a partition).</summary>
    public List<int> Designated { get; } = [];

    /// <summary>The node that was primary before the current one: clients with a stale path still go there.</summary>
    public int? PreviousPrimary { get; private set; }

    public bool AutoFailover { get; set; } = true;

    /// <summary>Nodes the sharding layer's news does not reach for now (a scripted test decides when it does).</summary>
    public HashSet<int> ShardingUnreachable { get; } = [];

    public int? Primary => Designated.Count > 0 ? Designated[0] : null;

    /// <summary>Tells the nodes who should host the owner; each learns it after a delay, and only once it reaches the majority.</summary>
    public void Designate(params int[] nodes)
    {
        if (Primary is { } old && (nodes.Length == 0 || nodes[0] != old))
        {
            PreviousPrimary = old;
        }

        Designated.Clear();
        Designated.AddRange(nodes);
        var version = ++_designationVersion;
        Trace($"designate [{string.Join(",", nodes)}]");
        foreach (var node in Nodes)
        {
            Notify(node, version, nodes.Contains(node.Id), Now + Random.Range(0, 100_000));
        }
    }

    /// <summary>A node can talk to a majority of live nodes (itself included): the side of a partition that Akka keeps.</summary>
    public bool ReachesMajority(int id) =>
        Nodes.Count(n => !n.Down && Connected(id, n.Id) && Connected(n.Id, id)) >= Settings.Majority;

    private void Notify(SimNode node, int version, bool designated, long at) => OnNode(node, at, () =>
    {
        if (!ReachesMajority(node.Id) || ShardingUnreachable.Contains(node.Id))
        {
            Notify(node, version, designated, Now + 50_000);
            return;
        }

        if (version >= node.DesignationVersion)
        {
            node.DesignationVersion = version;
            node.BelievesDesignated = designated;
            HostOwner(node);
        }
    });

    private void StartProcess(SimNode node)
    {
        node.Down = false;
        node.Replica = new ReplicaCore(node.Id, Settings, node.Store, node.Clock(Now));
        node.Owner = null;
        node.BelievesDesignated = Designated.Contains(node.Id);
        node.DesignationVersion = _designationVersion;
        ScheduleTick(node);
    }

    private void ScheduleTick(SimNode node) => OnNode(node, Now + SimConfig.TickMicros + Random.Range(-1_000, 1_000), () =>
    {
        var now = node.Clock(Now);
        Send(node, node.Replica!.Tick(now));
        HostOwner(node);
        if (node.Owner is { } owner)
        {
            Process(node, owner, owner.Tick(now));
        }

        ScheduleTick(node);
    });

    /// <summary>The LUN actor's life: start an owner when designated (again after a fenced one, with a backoff); stop it when not.</summary>
    private void HostOwner(SimNode node)
    {
        var now = node.Clock(Now);
        if (node.BelievesDesignated)
        {
            if ((node.Owner is null || node.Owner.State is OwnerState.Fenced) && Now >= node.NextOwnerAttempt)
            {
                node.Owner = new OwnerCore(node.Id, Settings, Random.NewRandom());
                node.NextOwnerAttempt = Now + Random.Range(50_000, 150_000);
                Trace($"n{node.Id} starts an owner");
                Process(node, node.Owner, node.Owner.Start(now));
            }
        }
        else if (node.Owner is { } owner)
        {
            Trace($"n{node.Id} stops its owner (e{owner.Epoch})");
            node.Owner = null;
            Process(node, owner, owner.Stop(now));
        }
    }

    /// <summary>The sharding layer's failure detector: an owner node down, paused, or cut from the majority for long is replaced.</summary>
    private void Control()
    {
        if (!AutoFailover)
        {
            return;
        }

        var healthy = Nodes.Where(n => !n.Down && !n.IsPaused(Now) && ReachesMajority(n.Id)).Select(n => n.Id).ToArray();
        if (Primary is { } primary && healthy.Contains(primary))
        {
            _unhealthySince = null;
            return;
        }

        _unhealthySince ??= Now;
        if (Now - _unhealthySince >= Config.FailureDetectionMicros && healthy.Length > 0)
        {
            _unhealthySince = null;
            Designate(Random.Pick(healthy));
        }
    }
}
