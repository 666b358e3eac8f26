using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Membership;

/// <summary>
/// Keeps the node's <see cref="ClusterView"/> in line with Akka.Cluster: subscribes to membership and reachability events
/// and, on each, rebuilds the view from the cluster's current state (members by their role <c>node-N</c>).
/// </summary>
public sealed class MembershipWatcher : ReceiveActor
{
    private readonly ClusterView _view;
    private readonly ILogger _logger;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);

    public MembershipWatcher(ClusterView view, ILogger logger)
    {
        _view = view;
        _logger = logger;
        ReceiveAny(_ => Refresh());
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsEvents, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Refresh()
    {
        var state = _cluster.State;
        var unreachable = state.Unreachable.Select(m => m.UniqueAddress).ToHashSet();
        var states = _view.Settings.Nodes.ToDictionary(n => n.Number, _ => NodeState.Down);
        foreach (var member in state.Members)
        {
            if (NodeNumber(member) is not { } number || !states.ContainsKey(number))
            {
                continue;
            }

            states[number] = member.Status is MemberStatus.Up or MemberStatus.WeaklyUp
                ? unreachable.Contains(member.UniqueAddress) ? NodeState.Unreachable : NodeState.Up
                : member.Status is MemberStatus.Joining or MemberStatus.Leaving ? NodeState.Unreachable : NodeState.Down;
        }

        var joined = state.Members.Any(m => m.UniqueAddress == _cluster.SelfUniqueAddress && m.Status is MemberStatus.Up or MemberStatus.WeaklyUp);
        var before = _view.States;
        _view.Update(states, joined);
        foreach (var (node, now) in states)
        {
            if (before.TryGetValue(node, out var was) && was != now)
            {
                MembershipLog.NodeStateChanged(_logger, node, was.ToString(), now.ToString());
            }
        }
    }

    /// <summary>The node number a member's role names (<c>node-N</c>).</summary>
    public static int? NodeNumber(Member member)
    {
        foreach (var role in member.Roles)
        {
            if (role.StartsWith("node-", StringComparison.Ordinal) && int.TryParse(role.AsSpan(5), out var number))
            {
                return number;
            }
        }

        return null;
    }
}

internal static partial class MembershipLog
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "node-{Node} is now {State} (was {Previous})")]
    public static partial void NodeStateChanged(ILogger logger, int node, string previous, string state);
}
