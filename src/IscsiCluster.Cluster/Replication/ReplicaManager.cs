using Akka.Actor;
using IscsiCluster.Replication.Storage;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Replication;

/// <summary>
/// Keeps one <see cref="ReplicaActor"/> for every LUN this node is a replica of, as the cluster's configuration
/// says (<see cref="Replicate"/>): starts new ones, restarts one whose size changed, and stops those of LUNs that
/// are gone, deleting their blocks and replica state once the actor has stopped.
/// </summary>
public sealed class ReplicaManager : ReceiveActor
{
    private readonly BlockStore _store;
    private readonly ReplicationEndpoint _endpoint;
    private readonly ReplicationOptions _options;
    private readonly string _dispatcher;
    private readonly ILogger _logger;
    private readonly Dictionary<ulong, (ReplicatedLun Lun, IActorRef Actor)> _replicas = [];
    private readonly Dictionary<IActorRef, (ulong LunId, bool Delete)> _stopping = [];
    private Dictionary<ulong, ReplicatedLun> _wanted = [];
    private long _generation;

    public ReplicaManager(BlockStore store, ReplicationEndpoint endpoint, ReplicationOptions options, string dispatcher, ILogger logger)
    {
        _store = store;
        _endpoint = endpoint;
        _options = options;
        _dispatcher = dispatcher;
        _logger = logger;
        Receive<Replicate>(Apply);
        Receive<Terminated>(OnStopped);
    }

    private void Apply(Replicate replicate)
    {
        var wanted = _wanted = replicate.Luns.Where(l => l.Replicas.Contains(_endpoint.Self)).ToDictionary(l => l.LunId);
        foreach (var (lunId, running) in _replicas.ToList())
        {
            if (!wanted.TryGetValue(lunId, out var lun) || lun != running.Lun)
            {
                _replicas.Remove(lunId);
                _stopping[running.Actor] = (lunId, Delete: lun is null);
                Context.Watch(running.Actor);
                Context.Stop(running.Actor);
            }
        }

        foreach (var (lunId, lun) in wanted)
        {
            if (!_replicas.ContainsKey(lunId) && !_stopping.Values.Any(s => s.LunId == lunId))
            {
                Start(lun);
            }
        }

        if (replicate.Authoritative)
        {
            // Volumes no LUN of the cluster keeps here: a LUN deleted while this node was away, or one whose creation a
            // crash cut short. Only the cluster's own configuration decides this, never a copy this node started from.
            foreach (var volume in _store.ListVolumes().Where(v => !wanted.ContainsKey(v.Id) && !_stopping.Values.Any(s => s.LunId == v.Id)))
            {
                ReplicationLog.OrphanDeleted(_logger, volume.Id, volume.SizeBytes);
                Delete(volume.Id);
            }
        }
    }

    private void Start(ReplicatedLun lun)
    {
        var settings = _options.For(lun.SizeBytes, lun.Replicas);
        var actor = Context.ActorOf(
            Props.Create(() => new ReplicaActor(lun.LunId, settings, _store, _endpoint, _options.ReplicaTickInterval, _logger)).WithDispatcher(_dispatcher),
            $"replica-{lun.LunId:x15}-{++_generation}");
        _replicas[lun.LunId] = (lun, actor);
    }

    private void OnStopped(Terminated terminated)
    {
        if (!_stopping.Remove(terminated.ActorRef, out var stopped))
        {
            return;
        }

        // A LUN whose replica was stopped to change its size starts again once the old one is gone.
        if (_wanted.TryGetValue(stopped.LunId, out var lun) && !_replicas.ContainsKey(stopped.LunId))
        {
            Start(lun);
            return;
        }

        if (stopped.Delete)
        {
            Delete(stopped.LunId);
        }
    }

    private void Delete(ulong lunId)
    {
        _store.DeleteVolume(lunId);
        foreach (var entry in _store.ListMetadata(BlockStoreReplicaStore.MetadataPrefix(lunId)))
        {
            _store.DeleteMetadata(entry.Key, sync: false);
        }
    }

    /// <summary>
    /// The LUNs of the cluster; this node keeps a replica of those whose replica set names it. When
    /// <paramref name="Authoritative"/> (the cluster's configuration, not a copy a node started from), volumes of no
    /// such LUN are deleted.
    /// </summary>
    public sealed record Replicate(IReadOnlyList<ReplicatedLun> Luns, bool Authoritative);
}

/// <summary>One replicated LUN: its cluster-wide id, the size of its replicated address space and its replica set.</summary>
public sealed record ReplicatedLun(ulong LunId, long SizeBytes, IReadOnlyList<int> Replicas)
{
    public bool Equals(ReplicatedLun? other) =>
        other is not null && LunId == other.LunId && SizeBytes == other.SizeBytes && Replicas.SequenceEqual(other.Replicas);

    public override int GetHashCode() => HashCode.Combine(LunId, SizeBytes);
}
