using System.Buffers;
using System.Collections.Concurrent;
using Akka.Actor;
using IscsiCluster.Cluster.Transport;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Forwarding;

/// <summary>
/// The node's end of forwarded SCSI traffic: sends commands, task management and answers to other nodes on the data
/// connections, and hands what arrives to this node's <see cref="LunPort"/> of the LUN. A frame for a LUN this node has
/// no port for is answered NOT READY (a command) or dropped (an answer nobody waits for).
/// </summary>
public sealed class ForwardingEndpoint
{
    private readonly ConcurrentDictionary<ulong, IActorRef> _ports = new();
    private readonly ILogger _logger;
    private DataPlane? _plane;
    private long _malformed;

    public ForwardingEndpoint(ILogger logger)
    {
        _logger = logger;
    }

    public void Attach(DataPlane plane, FrameRouter router)
    {
        _plane = plane;
        router.Register(ForwardedMessages.Command, OnCommand);
        router.Register(ForwardedMessages.Answer, (int peer, in ReadOnlySequence<byte> payload) => Decode(peer, payload, static (int p, in ReadOnlySequence<byte> bytes) =>
        {
            var (correlation, lunId, complete) = AnswerFrame.Read(bytes);
            return (lunId, new LunPort.RemoteAnswer(p, correlation, complete));
        }));
        router.Register(ForwardedMessages.Management, (int peer, in ReadOnlySequence<byte> payload) => Decode(peer, payload, static (int p, in ReadOnlySequence<byte> bytes) =>
        {
            var (correlation, lunId, request) = ControlFrame.ReadManagement(bytes);
            return (lunId, new LunPort.RemoteManagement(p, correlation, request));
        }));
        router.Register(ForwardedMessages.ManagementAnswer, (int peer, in ReadOnlySequence<byte> payload) => Decode(peer, payload, static (int p, in ReadOnlySequence<byte> bytes) =>
        {
            var (correlation, lunId, done) = ControlFrame.ReadManagementAnswer(bytes);
            return (lunId, new LunPort.RemoteManagementAnswer(p, correlation, done));
        }));
        router.Register(ForwardedMessages.NexusLost, (int peer, in ReadOnlySequence<byte> payload) => Decode(peer, payload, static (int _, in ReadOnlySequence<byte> bytes) =>
        {
            var (lunId, nexus) = ControlFrame.ReadNexusLost(bytes);
            return (lunId, new NexusLost(nexus));
        }));
    }

    public void Register(ulong lunId, IActorRef port) => _ports[lunId] = port;

    public void Unregister(ulong lunId, IActorRef port) => _ports.TryRemove(KeyValuePair.Create(lunId, port));

    public bool TryGetPort(ulong lunId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IActorRef? port) => _ports.TryGetValue(lunId, out port);

    /// <summary>Queues a frame for <paramref name="node"/>; false when it could not be (no connection, or too much queued).</summary>
    public bool Send(int node, IOutgoingFrame frame) => _plane is { } plane && plane.TrySend(node, frame);

    private void OnCommand(int peer, in ReadOnlySequence<byte> payload)
    {
        long correlation;
        ulong lunId;
        ExecuteCommand command;
        try
        {
            (correlation, lunId, command) = CommandFrame.Read(payload);
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException)
        {
            NoteMalformed(peer, e);
            return;
        }

        if (_ports.TryGetValue(lunId, out var port))
        {
            port.Tell(new LunPort.RemoteCommand(peer, correlation, command), ActorRefs.NoSender);
        }
        else
        {
            Send(peer, new AnswerFrame(correlation, lunId, LunPort.NotReady(command.TaskTag)));
        }
    }

    private delegate (ulong LunId, object Message) Decoder(int peer, in ReadOnlySequence<byte> payload);

    private void Decode(int peer, in ReadOnlySequence<byte> payload, Decoder decode)
    {
        try
        {
            var (lunId, message) = decode(peer, payload);
            if (_ports.TryGetValue(lunId, out var port))
            {
                port.Tell(message, ActorRefs.NoSender);
            }
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException)
        {
            NoteMalformed(peer, e);
        }
    }

    private void NoteMalformed(int peer, Exception e)
    {
        if (Interlocked.Increment(ref _malformed) % 1000 == 1)
        {
            ForwardingLog.Malformed(_logger, peer, _malformed, e.Message);
        }
    }
}

internal static partial class ForwardingLog
{
    [LoggerMessage(EventId = 1151, Level = LogLevel.Information, Message = "LUN {LunId:x15}: owner on node-{Node} (epoch {Epoch})")]
    public static partial void OwnerFound(ILogger logger, ulong lunId, int node, long epoch);

    [LoggerMessage(EventId = 1152, Level = LogLevel.Information, Message = "LUN {LunId:x15}: lost its owner on node-{Node}: {Reason}")]
    public static partial void OwnerLost(ILogger logger, ulong lunId, int node, string reason);

    [LoggerMessage(EventId = 1150, Level = LogLevel.Warning, Message = "Dropped a malformed forwarded frame from node {Peer} ({Count} so far): {Reason}")]
    public static partial void Malformed(ILogger logger, int peer, long count, string reason);
}
