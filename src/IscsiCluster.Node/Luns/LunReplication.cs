using Akka.Actor;
using IscsiCluster.Cluster;
using IscsiCluster.Cluster.Membership;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Node.Administration;
using IscsiCluster.Replication;
using IscsiCluster.Replication.Owner;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Alua;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// What makes a LUN actor the owner of a replicated LUN: the owner's side of the replication protocol
/// (<see cref="ReplicatedVolume"/>), the device and unit state over it, and the LUN's target port groups as this owner
/// sees them (<see cref="IPortGroups"/>): its own node's group active/optimized while it serves, the other live nodes'
/// groups active/non-optimized (they forward to it), lost nodes unavailable, and every group transitioning while it
/// does not serve (recovering, waiting out an older lease, its lease lapsed). A change of those states owes every
/// nexus ASYMMETRIC ACCESS STATE CHANGED. Everything but <see cref="IPortGroups"/> reads runs on the LUN actor's thread.
/// </summary>
public sealed class LunReplication : IPortGroups
{
    private readonly ulong _lunId;
    private readonly ReplicationEndpoint _endpoint;
    private readonly ClusterView _view;
    private readonly ILogger _logger;
    private readonly BlockStore _store;
    private ReplicationSettings _settings;
    private readonly ClusterConfigurationView _configuration;
    private readonly Action<ulong, IActorRef, long, bool, long> _announce;
    private IActorRef _actor = ActorRefs.Nobody;
    private DiskUnit? _unit;
    private IReadOnlyList<TargetPortGroup> _reported = [];
    private bool _hasServed;
    private bool _stopped;

    public LunReplication(
        ulong lunId, ReplicationSettings settings, ReplicationEndpoint endpoint, ClusterView view, ClusterConfigurationView configuration, BlockStore store, int blockSize,
        Action<ulong, IActorRef, long, bool, long> announce, ILogger logger)
    {
        _announce = announce;
        _lunId = lunId;
        _configuration = configuration;
        _endpoint = endpoint;
        _view = view;
        _logger = logger;
        _settings = settings;
        _store = store;
        Volume = NewVolume(settings);
        Device = new ReplicatedDevice(store, lunId, blockSize, () => Volume);
        State = new ReplicatedUnitState(store, lunId, () => Volume);
    }

    /// <summary>The owner's side of the protocol; replaced (a new epoch) when the LUN is resized.</summary>
    public ReplicatedVolume Volume { get; private set; }

    public ReplicatedDevice Device { get; }

    public ReplicatedUnitState State { get; }

    public ulong LunId => _lunId;

    public IReadOnlyList<TargetPortGroup> Groups
    {
        get
        {
            var serving = Volume.State == OwnerState.Serving;
            var self = _endpoint.Self;
            return
            [
                .. _view.Settings.Nodes.Select(node => new TargetPortGroup(
                    (ushort)node.Number,
                    node.Number != self && _view.StateOf(node.Number) != NodeState.Up ? AsymmetricAccessState.Unavailable
                        : !serving ? AsymmetricAccessState.Transitioning
                        : node.Number == self ? AsymmetricAccessState.ActiveOptimized
                        : AsymmetricAccessState.ActiveNonOptimized,
                    (ushort)node.Number)),
            ];
        }
    }

    public AsymmetricAccessState StateOf(ushort group) =>
        Groups.FirstOrDefault(g => g.Group == group) is { Group: not 0 } found ? found.State : AsymmetricAccessState.Unavailable;

    /// <summary>
    /// Starts owning, for <paramref name="actor"/> running <paramref name="unit"/>. When the actor is restarted by its
    /// supervisor (it failed), this is called again with the same unit after <see cref="Stop"/>: the stopped owner's
    /// protocol cannot start twice, so a new one starts in a new epoch, as after a resize. The unit, and the SCSI state
    /// it holds for every nexus (unit attentions, SPC-2 reservations, mode pages), carries on; once serving it reads the
    /// saved state back (<see cref="DiskUnit.RestoreState"/>), which its own saves have kept equal.
    /// </summary>
    public void Start(IActorRef actor, DiskUnit unit)
    {
        if (_stopped)
        {
            _stopped = false;
            _hasServed = false;
            Volume = NewVolume(_settings);
        }

        _actor = actor;
        _unit = unit;
        _endpoint.RegisterOwner(_lunId, actor);
        _view.Changed += OnViewChanged;
        _configuration.Changed += OnConfigurationChanged;
        _reported = Groups;
        Volume.Start();
        Announce();
    }

    /// <summary>Tells this node's port and every other node's that the owner is here (at start, on changes, and now and then).</summary>
    public void Announce() => _announce(_lunId, _actor, Volume.Epoch, Volume.State == OwnerState.Serving, _settings.SizeBytes);

    /// <summary>Stops owning: pending writes fail, the endpoint forgets this owner.</summary>
    public void Stop()
    {
        _stopped = true;
        _view.Changed -= OnViewChanged;
        _configuration.Changed -= OnConfigurationChanged;
        Volume.Stop();
        _endpoint.UnregisterOwner(_lunId, _actor);
    }

    /// <summary>
    /// The LUN's size changed (actor thread): the protocol's address space is fixed for one owner's life, so this owner
    /// stops (what is pending fails NOT READY, initiators retry) and a new one starts over the resized volume, in a new
    /// epoch. The unit stays: it sees the new capacity and owes every nexus CAPACITY DATA HAS CHANGED.
    /// </summary>
    public void Resize(long replicatedBytes)
    {
        if (replicatedBytes == _settings.SizeBytes)
        {
            return;
        }

        Volume.Stop();
        _settings = _settings with { SizeBytes = replicatedBytes };
        ReplicaActor.EnsureVolume(_store, _lunId, replicatedBytes);
        _hasServed = false;
        Volume = NewVolume(_settings);
        Volume.Start();
        CheckGroups();
        Announce();
    }

    /// <summary>How this owner and its replicas stand, for cluster status.</summary>
    public OwnerStatusReport Report()
    {
        var status = Volume.Status();
        return new OwnerStatusReport(
            _lunId,
            _endpoint.Self,
            Words.Of(status.State),
            status.Epoch,
            status.CommittedIndex,
            [.. status.Replicas.Select(r => new Admin.Contracts.Protocol.ReplicaInfo(
                r.Replica, Words.Of(r.Health), r.MatchIndex, r.Progress?.EntriesBehind, r.Progress?.BytesLeft))]);
    }

    private ReplicatedVolume NewVolume(ReplicationSettings settings) =>
        new(_lunId, settings, _endpoint, () => _actor.Tell(LunActor.CommitStagedWrites.Instance), OnStateChanged);

    /// <summary>On the actor's thread, after membership changed: a group that changed state owes every nexus a unit attention.</summary>
    public void CheckGroups()
    {
        var now = Groups;
        if (!now.SequenceEqual(_reported))
        {
            _reported = now;
            _unit?.NotifyAsymmetricAccessStateChanged();
        }
    }

    private void OnViewChanged(ClusterView view) => _actor.Tell(LunActor.PortGroupsChanged.Instance);

    /// <summary>
    /// The cluster's configuration changed: a LUN whose size changed is passivated and started again with its new size
    /// (the protocol's address space is fixed for an owner's life); otherwise its target's LUNs are its inventory.
    /// </summary>
    private void OnConfigurationChanged(Admin.Contracts.Model.ClusterConfiguration configuration)
    {
        if (!_configuration.TryFindLun(_lunId, out var target, out var lun))
        {
            _actor.Tell(LunActor.Restart.Instance);
            return;
        }

        if (ReplicatedLayout.ReplicatedBytes(lun.SizeBytes) != _settings.SizeBytes)
        {
            _actor.Tell(new LunActor.Resize(ReplicatedLayout.ReplicatedBytes(lun.SizeBytes)));
        }

        _actor.Tell(new LunActor.SetInventory([0, .. target.Luns.Select(l => l.Lun)]));
    }

    private void OnStateChanged(OwnerState state)
    {
        LunLog.OwnerState(_logger, _lunId, state.ToString(), Volume.Epoch);
        if (state == OwnerState.Serving && !_hasServed)
        {
            // The first time this owner serves, its replica holds every acknowledged write: the unit's saved state too
            // (reservations, mode pages, unit attentions owed), read back before the access state change is raised below.
            _hasServed = true;
            State.Reload();
            if (_unit?.RestoreState() == false)
            {
                LunLog.StateDiscarded(_logger, _lunId);
            }
        }

        CheckGroups();
        Announce();
    }
}
