using System.Collections.Frozen;
using IscsiCluster.Actors;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Luns;

namespace IscsiCluster.Node.Targets;

/// <summary>
/// One iSCSI target: its LUN actors (children), its access rules, and the sessions logged in
/// to it. Sessions learn the LUN map at login and through <see cref="LunMapChanged"/>.
/// </summary>
public sealed class TargetActor : ReceiveActor
{
    private readonly TargetSettings _settings;
    private readonly HashSet<IActorRef> _sessions = [];
    private readonly Func<TargetSettings, IReadOnlyDictionary<ulong, Props>> _lunProps;
    private readonly Props _absentLunProps;
    private FrozenDictionary<ulong, IActorRef> _luns = FrozenDictionary<ulong, IActorRef>.Empty;
    private IActorRef _absentLun = ActorRefs.Nobody;

    /// <param name="settings">The target's configuration.</param>
    /// <param name="lunProps">Makes the Props of each LUN actor, LUN 0 included.</param>
    /// <param name="absentLunProps">The Props of the actor that answers for LUNs that do not exist.</param>
    public TargetActor(
        TargetSettings settings,
        Func<TargetSettings, IReadOnlyDictionary<ulong, Props>> lunProps,
        Props absentLunProps)
    {
        _settings = settings;
        _lunProps = lunProps;
        _absentLunProps = absentLunProps;

        Receive<GetAccess>(HandleGetAccess);
        Receive<GetListing>(HandleGetListing);
        Receive<SessionOpened>(opened =>
        {
            _sessions.Add(opened.Session);
            Context.Watch(opened.Session);
        });
        Receive<SessionClosed>(closed => ForgetSession(closed.Session));
        Receive<Terminated>(terminated => ForgetSession(terminated.ActorRef));
    }

    protected override void PreStart()
    {
        var luns = new Dictionary<ulong, IActorRef>();
        foreach (var (lun, props) in _lunProps(_settings))
        {
            luns[lun] = Context.ActorOf(props, $"lun-{lun}");
        }

        _luns = luns.ToFrozenDictionary();
        _absentLun = Context.ActorOf(_absentLunProps, "absent-lun");
        var inventory = new LunActor.SetInventory([.. _luns.Keys.Order()]);
        foreach (var lun in _luns.Values)
        {
            lun.Tell(inventory);
        }

        _absentLun.Tell(inventory);
    }

    private void HandleGetAccess(GetAccess request)
    {
        var initiator = request.Initiator;
        Sender.Tell(new TargetAccess(
            _settings.Name,
            _settings.Alias,
            _settings.Acl.Admits(initiator.InitiatorName, initiator.Address),
            _settings.IncomingAccounts,
            _settings.OutgoingAccount,
            Self,
            _luns,
            _absentLun));
    }

    private void HandleGetListing(GetListing request)
    {
        // Only targets the initiator may log in to are listed (what tgt administrators expect).
        var admitted = _settings.Acl.Admits(request.Initiator.InitiatorName, request.Initiator.Address);
        Sender.Tell(new Listing(admitted ? _settings.Name : null));
    }

    private void ForgetSession(IActorRef session)
    {
        if (_sessions.Remove(session))
        {
            Context.Unwatch(session);
        }
    }

    /// <summary>Asks what a login from this initiator needs; the answer is a <see cref="TargetAccess"/>.</summary>
    public sealed record GetAccess(InitiatorContext Initiator);

    /// <summary>Asks for this target's SendTargets entry as this initiator may see it.</summary>
    public sealed record GetListing(InitiatorContext Initiator);

    /// <summary>The answer to <see cref="GetListing"/>: the target's name, or null when the initiator may not see it.</summary>
    public sealed record Listing(string? TargetName);
}
