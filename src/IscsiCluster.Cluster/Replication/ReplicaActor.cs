using Akka.Actor;
using IscsiCluster.Replication;
using IscsiCluster.Replication.Replica;
using IscsiCluster.Replication.Storage;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Replication;

/// <summary>
/// This node's replica of one LUN: the protocol's <see cref="ReplicaCore"/> over the LUN's volume in the node's block
/// store. Every replication message for the replica comes through its mailbox, so the core runs on one thread at a
/// time, as it must; it runs on the LUN dispatcher, like the LUN actors it answers. A failure restarts it
/// from its store, which holds everything it ever acknowledged.
/// </summary>
public sealed class ReplicaActor : ReceiveActor, IWithTimers
{
    private readonly ulong _lunId;
    private readonly ReplicationSettings _settings;
    private readonly BlockStore _store;
    private readonly ReplicationEndpoint _endpoint;
    private readonly TimeSpan _tick;
    private readonly ILogger _logger;
    private ReplicaCore? _core;

    public ReplicaActor(ulong lunId, ReplicationSettings settings, BlockStore store, ReplicationEndpoint endpoint, TimeSpan tick, ILogger logger)
    {
        _lunId = lunId;
        _settings = settings;
        _store = store;
        _endpoint = endpoint;
        _tick = tick;
        _logger = logger;
        Receive<ReplicaInput>(input => Send(_core!.Handle(input.From, input.Message, MonotonicClock.Now)));
        Receive<Tick>(_ => Send(_core!.Tick(MonotonicClock.Now)));
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        EnsureVolume(_store, _lunId, _settings.SizeBytes);
        _core = new ReplicaCore(_endpoint.Self, _settings, new BlockStoreReplicaStore(_store, _lunId, _settings.TailEntries), MonotonicClock.Now);
        ReplicationLog.ReplicaOpened(_logger, _lunId, _settings.SizeBytes, string.Join(",", _settings.Replicas), _core.Last.ToString());
        _endpoint.RegisterReplica(_lunId, Self);
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, _tick);
    }

    protected override void PostStop() => _endpoint.UnregisterReplica(_lunId, Self);

    protected override void PreRestart(Exception reason, object message)
    {
        ReplicationLog.ReplicaFailed(_logger, _lunId, reason);
        base.PreRestart(reason, message);
    }

    /// <summary>Creates the LUN's volume in the store, or brings it to <paramref name="sizeBytes"/>.</summary>
    /// <remarks>The LUN's owner and its replica on one node may both get here first; whichever loses the race finds the volume.</remarks>
    public static void EnsureVolume(BlockStore store, ulong lunId, long sizeBytes)
    {
        if (!store.TryGetVolume(lunId, out var volume))
        {
            try
            {
                store.CreateVolume(lunId, sizeBytes);
                return;
            }
            catch (VolumeAlreadyExistsException) when (store.TryGetVolume(lunId, out var created))
            {
                volume = created;
            }
        }

        if (volume.SizeBytes != sizeBytes)
        {
            store.ResizeVolume(lunId, sizeBytes);
        }
    }

    private void Send(IReadOnlyList<IscsiCluster.Replication.Messages.Outgoing> outgoing)
    {
        foreach (var message in outgoing)
        {
            _endpoint.Send(_lunId, message);
        }
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }
}
