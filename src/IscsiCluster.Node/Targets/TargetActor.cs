using System.Collections.Frozen;
using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Luns;
using Access = IscsiCluster.Admin.Contracts.Editing.TargetAccess;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// One iSCSI target: its LUN actors (children), its access rules, and the sessions logged in
/// to it. Sessions learn the LUN map at login and through <see cref="LunMapChanged"/>; a new
/// <see cref="TargetRuntime"/> applies to the next login at once. Sessions are in
/// <c>TargetActor.Sessions.cs</c>.
/// </summary>
public sealed partial class TargetActor : ReceiveActor, IWithTimers
{
    private readonly Props _absentLunProps;
    private TargetRuntime _runtime;
    private FrozenDictionary<ulong, IActorRef> _luns = FrozenDictionary<ulong, IActorRef>.Empty;
    private IActorRef _absentLun = ActorRefs.Nobody;
    private IActorRef _controller = ActorRefs.Nobody;

    /// <summary>The retirement deadline's timer; Akka cancels it when the target stops.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="runtime">What the target serves at start.</param>
    /// <param name="absentLunProps">The Props of the actor that answers for LUNs that do not exist.</param>
    public TargetActor(TargetRuntime runtime, Props absentLunProps)
    {
        _runtime = runtime;
        _absentLunProps = absentLunProps;

        Receive<GetAccess>(HandleGetAccess);
        Receive<GetListing>(HandleGetListing);
        Receive<Configure>(configure => Apply(configure.Runtime));
        ReceiveSessionMessages();
    }

    private TargetDefinition Definition => _runtime.Definition;

    protected override void PreStart()
    {
        _absentLun = Context.ActorOf(_absentLunProps, "absent-lun");
        _controller = Context.ActorOf(_runtime.Controller, "lun-0");
        Apply(_runtime);
    }

    /// <summary>
    /// Serves the LUN map of <paramref name="runtime"/>: LUN 0 is this target's controller (a child, node-local), the
    /// others are this node's ports of the cluster's LUNs. A changed map goes to every session and owes each nexus REPORTED
    /// LUNS DATA HAS CHANGED (the owners of the disk LUNs raise it from the configuration); the rest applies to the next login.
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

    private void HandleGetAccess(GetAccess request)
    {
        var initiator = request.Initiator;
        Sender.Tell(new TargetAccess(
            Definition.Name,
            Definition.Alias,
            Admits(initiator),
            _runtime.IncomingAccounts,
            _runtime.OutgoingAccount,
            Self,
            _luns,
            _absentLun));
    }

    private void HandleGetListing(GetListing request) =>
        // Only targets the initiator may log in to are listed (what tgt administrators expect).
        Sender.Tell(new Listing(Admits(request.Initiator) ? Definition.Name : null));

    /// <summary>An offline target refuses every new login; a ready one asks its ACL (tgt's order: ACL, then CHAP at login).</summary>
    private bool Admits(InitiatorContext initiator) =>
        !_retiring && Definition.State == TargetState.Ready && Access.Admits(Definition, initiator.InitiatorName, initiator.Address);

    /// <summary>Asks what a login from this initiator needs; the answer is a <see cref="TargetAccess"/>.</summary>
    public sealed record GetAccess(InitiatorContext Initiator);

    /// <summary>Asks for this target's SendTargets entry as this initiator may see it.</summary>
    public sealed record GetListing(InitiatorContext Initiator);

    /// <summary>The answer to <see cref="GetListing"/>: the target's name, or null when the initiator may not see it.</summary>
    public sealed record Listing(string? TargetName);

    /// <summary>The target's configuration changed: serve <paramref name="Runtime"/> from now on.</summary>
    public sealed record Configure(TargetRuntime Runtime);
}
