using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;

namespace IscsiCluster.Node.Administration;

public sealed partial class ConfigurationActor
{
    private readonly Dictionary<int, IActorRef> _targets = [];
    private readonly Dictionary<ulong, IActorRef> _ports = [];
    private long _generation;

    /// <summary>
    /// Brings what this node runs in line with <paramref name="next"/>: its replicas of every LUN it keeps, its port of
    /// every LUN, and its ports of the targets (deleted targets retire, their sessions asked to log out; new ones start; the
    /// others get their new definition, which applies to the next login at once). Then the portal's directory and the
    /// node's view of the configuration (which LUN owners read) are replaced.
    /// </summary>
    private void Reconcile(ClusterConfiguration previous, ClusterConfiguration next, bool fromCluster)
    {
        // First: the owners the ports below wake read their LUN's definition here.
        _view.Replace(_version, next, fromCluster);
        var luns = next.Targets.SelectMany(t => t.Luns.Where(l => l.VolumeId is not null).Select(l => (Target: t, Lun: l))).ToList();
        _cluster.ReplicaManager.Tell(new ReplicaManager.Replicate(
        [
            new ReplicatedLun(ConfigurationOwner.VolumeId, ConfigurationOwner.VolumeBytes, _cluster.Settings.ReplicasOf(ConfigurationOwner.VolumeId)),
            .. luns.Select(l => new ReplicatedLun(l.Lun.VolumeId!.Value, ReplicatedLayout.ReplicatedBytes(l.Lun.SizeBytes), _cluster.Settings.ReplicasOf(l.Lun.VolumeId!.Value))),
        ], Authoritative: fromCluster));

        var wanted = luns.ToDictionary(l => l.Lun.VolumeId!.Value);
        foreach (var (volumeId, port) in _ports.ToList().Where(p => !wanted.ContainsKey(p.Key)))
        {
            Context.Stop(port);
            _ports.Remove(volumeId);
        }

        foreach (var (volumeId, lun) in wanted.Where(w => !_ports.ContainsKey(w.Key)))
        {
            _ports[volumeId] = Context.ActorOf(_lunFactory.Port(lun.Lun), $"lun-{volumeId:x15}-{++_generation}");
        }

        foreach (var gone in previous.Targets.Where(t => next.FindTarget(t.Tid) is null))
        {
            if (_targets.Remove(gone.Tid, out var actor))
            {
                actor.Tell(new TargetPort.Retire(_timeouts.RetireGrace));
                NodeLog.TargetRetired(_logger, gone.Tid, gone.Name);
            }
        }

        foreach (var target in next.Targets)
        {
            var runtime = Runtime(target);
            if (_targets.TryGetValue(target.Tid, out var actor))
            {
                actor.Tell(new TargetPort.Configure(runtime));
                continue;
            }

            var absent = _lunFactory.Absent(target.Name);
            _targets[target.Tid] = Context.ActorOf(
                Props.Create(() => new TargetPort(runtime, absent)),
                $"target-{target.Tid}-{++_generation}");
            NodeLog.TargetStarted(_logger, target.Tid, target.Name, target.Luns.Count);
            if (target.InitiatorAddresses.Count == 0 && target.InitiatorNames.Count == 0)
            {
                NodeLog.TargetWithoutAcl(_logger, target.Tid, target.Name);
            }
        }

        _directory.Publish(
            [.. next.Targets.Select(t => (t.Name, t.Tid, _targets[t.Tid]))],
            new DiscoveryAccess(
                ConfiguredAccounts.Resolve(next, next.DiscoveryIncomingUsers),
                ConfiguredAccounts.Resolve(next, next.DiscoveryOutgoingUser)));
    }

    private TargetRuntime Runtime(TargetDefinition target) =>
        new(
            target,
            _lunFactory.Controller(target.Name),
            target.Luns.Where(l => l.VolumeId is { } id && _ports.ContainsKey(id)).ToDictionary(l => l.Lun, l => _ports[l.VolumeId!.Value]));
}

/// <summary>What the configuration actor needs of the cluster layer: this node, the configuration's shard region, the replica manager.</summary>
public sealed record ClusterParts(Cluster.ClusterSettings Settings, Cluster.Membership.ClusterView View, IActorRef ConfigurationRegion, IActorRef LunRegion, IActorRef ReplicaManager)
{
    public int Self => Settings.Self;
}
