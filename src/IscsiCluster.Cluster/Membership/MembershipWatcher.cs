using Akka.Actor;
using Akka.Cluster;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Membership;

/// <summary>
/// Keeps the node's <see cref="ClusterView"/> in line with Akka.Cluster: subscribes to membership and reachability events
/// and keeps its own copy of the membership from them (members by their role <c>node-N</c>). It does not read
/// <c>Cluster.State</c>, which another subscriber updates and may lag behind the events this actor has seen.
/// </summary>
public sealed class MembershipWatcher : ReceiveActor
{
    private readonly ClusterView _view;
    private readonly ILogger _logger;
    private readonly Akka.Cluster.Cluster _cluster = Akka.Cluster.Cluster.Get(Context.System);
    private readonly Dictionary<UniqueAddress, Member> _members = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];

    public MembershipWatcher(ClusterView view, ILogger logger)
    {
        _view = view;
        _logger = logger;
        Receive<ClusterEvent.CurrentClusterState>(state =>
        {
            _members.Clear();
            _unreachable.Clear();
            foreach (var member in state.Members)
            {
                _members[member.UniqueAddress] = member;
            }

            _unreachable.UnionWith(state.Unreachable.Select(m => m.UniqueAddress));
            Refresh();
        });
        Receive<ClusterEvent.MemberRemoved>(removed =>
        {
            _members.Remove(removed.Member.UniqueAddress);
            _unreachable.Remove(removed.Member.UniqueAddress);
            Refresh();
        });
        Receive<ClusterEvent.IMemberEvent>(changed =>
        {
            _members[changed.Member.UniqueAddress] = changed.Member;
            Refresh();
        });
        Receive<ClusterEvent.UnreachableMember>(unreachable =>
        {
            _unreachable.Add(unreachable.Member.UniqueAddress);
            Refresh();
        });
        Receive<ClusterEvent.ReachableMember>(reachable =>
        {
            _unreachable.Remove(reachable.Member.UniqueAddress);
            Refresh();
        });
    }

    protected override void PreStart() =>
        _cluster.Subscribe(Self, ClusterEvent.SubscriptionInitialStateMode.InitialStateAsSnapshot, typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => _cluster.Unsubscribe(Self);

    private void Refresh()
    {
        var states = _view.Settings.Nodes.ToDictionary(n => n.Number, _ => NodeState.Down);
        foreach (var member in _members.Values)
        {
            if (NodeNumber(member) is not { } number || !states.ContainsKey(number))
            {
                continue;
            }

            // A restarted node may be listed twice for a while (its old incarnation on its way out): the liveliest counts.
            var state = member.Status is MemberStatus.Up or MemberStatus.WeaklyUp
                ? _unreachable.Contains(member.UniqueAddress) ? NodeState.Unreachable : NodeState.Up
                : member.Status is MemberStatus.Joining or MemberStatus.Leaving ? NodeState.Unreachable : NodeState.Down;
            if (state < states[number])
            {
                states[number] = state;
            }
        }

        var joined = _members.TryGetValue(_cluster.SelfUniqueAddress, out var self) && self.Status is MemberStatus.Up or MemberStatus.WeaklyUp;
        var before = _view.States;
        var joinedBefore = _view.Joined;
        _view.Update(states, joined);
        foreach (var (node, now) in states)
        {
            // Until it has joined, the node's view of itself is a placeholder, not news.
            if (before.TryGetValue(node, out var was) && was != now && (joinedBefore || node != _view.Settings.Self))
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
