using System.Collections.Frozen;
using Akka.Actor;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Luns;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// This node's port of one iSCSI target: LUN 0 (the target's controller, every node's own), the actor that answers for
/// LUN numbers the target does not map, this node's ports of the target's LUNs, and the sessions logged in to the target
/// through this node's portal. Who may log in, with which accounts, and which LUNs the target maps is the target's
/// entity's decision (<see cref="TargetEntity"/>, one in the cluster); a login brings that decision here to be bound to
/// this node's ports (<see cref="Bind"/>). Sessions learn later changes of the map through <see cref="LunMapChanged"/>.
/// Sessions are in <c>TargetPort.Sessions.cs</c>.
/// </summary>
public sealed partial class TargetPort : ReceiveActor, IWithTimers
{
    private readonly Props _absentLunProps;
    private TargetRuntime _runtime;
    private FrozenDictionary<ulong, IActorRef> _luns = FrozenDictionary<ulong, IActorRef>.Empty;
    private IActorRef _absentLun = ActorRefs.Nobody;
    private IActorRef _controller = ActorRefs.Nobody;

    /// <summary>The retirement deadline's timer; Akka cancels it when the target stops.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="runtime">What the port serves at start.</param>
    /// <param name="absentLunProps">The Props of the actor that answers for LUNs that do not exist.</param>
    public TargetPort(TargetRuntime runtime, Props absentLunProps)
    {
        _runtime = runtime;
        _absentLunProps = absentLunProps;

        Receive<Bind>(bind => Sender.Tell(Access(bind.Decision)));
        Receive<Configure>(configure => Apply(configure.Runtime));
        ReceiveSessionMessages();
    }

    protected override void PreStart()
    {
        _absentLun = Context.ActorOf(_absentLunProps, "absent-lun");
        _controller = Context.ActorOf(_runtime.Controller, "lun-0");
        Apply(_runtime);
    }

    /// <summary>
    /// Serves the LUN map of <paramref name="runtime"/>: LUN 0 is this target's controller (a child, node-local), the
    /// others are this node's ports of the cluster's LUNs. A changed map goes to every session and owes each nexus REPORTED
    /// LUNS DATA HAS CHANGED (the owners of the disk LUNs raise it from the configuration).
    /// </summary>
    private void Apply(TargetRuntime runtime)
    {
        _runtime = runtime;
        var map = new Dictionary<ulong, IActorRef>(runtime.Luns) { [0] = _controller };
        if (_luns.Count == map.Count && map.All(l => _luns.TryGetValue(l.Key, out var actor) && actor.Equals(l.Value)))
        {
            return;
        }

        _luns = map.ToFrozenDictionary();

        // SPC-4 6.33: the controller and the absent-LUN actor learn the new inventory.
        var inventory = new LunActor.SetInventory([.. _luns.Keys.Order()]);
        _controller.Tell(inventory);
        _absentLun.Tell(inventory);
        var changed = new LunMapChanged(_luns);
        foreach (var session in _sessions.Keys)
        {
            session.Tell(changed);
        }
    }

    /// <summary>
    /// The entity's decision bound to this node: its LUNs become this node's ports of them. A LUN this node has no port
    /// of yet (its configuration is a moment behind) answers as absent until the map change reaches the session.
    /// </summary>
    private TargetAccess Access(AccessDecision decision)
    {
        var luns = new Dictionary<ulong, IActorRef> { [0] = _controller };
        foreach (var (number, lunId) in decision.LunIds)
        {
            if (_runtime.PortOf(lunId) is { } port)
            {
                luns[number] = port;
            }
        }

        return new TargetAccess(
            decision.TargetName,
            decision.Alias,
            decision.Admitted && !_retiring,
            decision.IncomingAccounts,
            decision.OutgoingAccount,
            Self,
            luns,
            _absentLun);
    }

    /// <summary>Binds a target entity's decision to this node's ports; the answer is a <see cref="TargetAccess"/>.</summary>
    public sealed record Bind(AccessDecision Decision);

    /// <summary>The target's configuration changed: serve <paramref name="Runtime"/> from now on.</summary>
    public sealed record Configure(TargetRuntime Runtime);
}
