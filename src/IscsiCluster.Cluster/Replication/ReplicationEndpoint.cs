using System.Buffers;
using System.Collections.Concurrent;
using Akka.Actor;
using IscsiCluster.Cluster.Transport;
using IscsiCluster.Replication.Messages;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Replication;

/// <summary>
/// Where a node's replication messages come and go. Messages to this node itself are delivered straight to the actor
/// (no encoding); messages to other nodes go as frames on the data connections. An incoming message goes to the LUN's
/// owner on this node (<see cref="OwnerInput"/>) or to its replica here (<see cref="ReplicaInput"/>), by its type; one for
/// a LUN with no such actor here is dropped (the protocol resends what matters).
/// </summary>
public sealed class ReplicationEndpoint
{
    private readonly ConcurrentDictionary<ulong, IActorRef> _owners = new();
    private readonly ConcurrentDictionary<ulong, IActorRef> _replicas = new();
    private readonly ILogger _logger;
    private DataPlane? _plane;
    private long _malformed;

    public ReplicationEndpoint(int self, ILogger logger)
    {
        Self = self;
        _logger = logger;
    }

    /// <summary>This node's number.</summary>
    public int Self { get; }

    /// <summary>Sends through <paramref name="plane"/> from now on, and receives its replication frames.</summary>
    public void Attach(DataPlane plane, FrameRouter router)
    {
        ArgumentNullException.ThrowIfNull(router);
        _plane = plane;
        router.Register(ReplicationFrame.FrameKind, Receive);
    }

    public void RegisterOwner(ulong lunId, IActorRef owner) => _owners[lunId] = owner;

    /// <summary>Forgets the owner, unless another took its place meanwhile.</summary>
    public void UnregisterOwner(ulong lunId, IActorRef owner) => _owners.TryRemove(KeyValuePair.Create(lunId, owner));

    public void RegisterReplica(ulong lunId, IActorRef replica) => _replicas[lunId] = replica;

    public void UnregisterReplica(ulong lunId, IActorRef replica) => _replicas.TryRemove(KeyValuePair.Create(lunId, replica));

    /// <summary>Sends what a core produced; false when a message for another node could not be queued (it counts as lost).</summary>
    public bool Send(ulong lunId, Outgoing outgoing)
    {
        if (outgoing.To == Self)
        {
            Deliver(Self, lunId, outgoing.Message);
            return true;
        }

        return _plane is { } plane && plane.TrySend(outgoing.To, new ReplicationFrame(lunId, outgoing.Message));
    }

    private void Receive(int peer, in ReadOnlySequence<byte> payload)
    {
        ulong lunId;
        ReplicationMessage message;
        try
        {
            var reader = new WireReader(payload);
            (lunId, message) = ReplicationCodec.Read(ref reader);
        }
        catch (InvalidDataException e)
        {
            // A peer of another version, or a bug: one line per thousand, never one per frame.
            if (Interlocked.Increment(ref _malformed) % 1000 == 1)
            {
                ReplicationLog.MalformedMessage(_logger, peer, _malformed, e.Message);
            }

            return;
        }

        Deliver(peer, lunId, message);
    }

    private void Deliver(int from, ulong lunId, ReplicationMessage message)
    {
        switch (message)
        {
            case ToOwnerMessage when _owners.TryGetValue(lunId, out var owner):
                owner.Tell(new OwnerInput(from, message), ActorRefs.NoSender);
                break;
            case ToReplicaMessage when _replicas.TryGetValue(lunId, out var replica):
                replica.Tell(new ReplicaInput(from, message), ActorRefs.NoSender);
                break;
        }
    }
}

/// <summary>A replication message for a LUN's owner on this node, from node <paramref name="From"/>.</summary>
public sealed record OwnerInput(int From, ReplicationMessage Message);

/// <summary>A replication message for a LUN's replica on this node, from node <paramref name="From"/>.</summary>
public sealed record ReplicaInput(int From, ReplicationMessage Message);
