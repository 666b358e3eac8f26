using System.Collections.Frozen;

namespace IscsiCluster.Cluster.Membership;

/// <summary>
/// This node's current view of the cluster's membership, by node number: an immutable snapshot replaced whenever
/// Akka.Cluster reports a change, readable from any thread. <see cref="Changed"/> is raised after each replacement.
/// </summary>
public sealed class ClusterView
{
    private volatile Snapshot _current;

    public ClusterView(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        _current = new Snapshot(settings.Nodes.ToFrozenDictionary(n => n.Number, n => n.Number == settings.Self ? NodeState.Up : NodeState.Down), false);
    }

    public ClusterSettings Settings { get; }

    /// <summary>Raised (on Akka's event thread) after the view changed.</summary>
    public event Action<ClusterView>? Changed;

    /// <summary>Each node's state.</summary>
    public IReadOnlyDictionary<int, NodeState> States => _current.States;

    /// <summary>Whether this node is a member of a cluster that holds a majority of all configured nodes, all reachable from here.</summary>
    public bool HasMajority => _current.States.Values.Count(s => s == NodeState.Up) >= Settings.Majority;

    /// <summary>Whether this node has joined the cluster (Akka.Cluster says it is Up).</summary>
    public bool Joined => _current.Joined;

    public NodeState StateOf(int node) => _current.States.TryGetValue(node, out var state) ? state : NodeState.Down;

    internal void Update(IReadOnlyDictionary<int, NodeState> states, bool joined)
    {
        var next = new Snapshot(states.ToFrozenDictionary(), joined);
        var previous = _current;
        _current = next;
        if (previous.Joined != joined || !previous.States.OrderBy(s => s.Key).SequenceEqual(next.States.OrderBy(s => s.Key)))
        {
            Changed?.Invoke(this);
        }
    }

    private sealed record Snapshot(FrozenDictionary<int, NodeState> States, bool Joined);
}
