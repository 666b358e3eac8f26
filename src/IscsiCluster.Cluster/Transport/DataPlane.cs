using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Transport;

/// <summary>
/// A node's data connections: one TCP connection to each other node, for block data (forwarded commands
/// and replication), kept apart from Akka.Remote, whose connection carries membership heartbeats that bulk
/// data would delay. Of each pair of nodes the higher-numbered one calls (and calls again, backing off,
/// whenever the connection is lost); the lower one accepts. A newer connection from a peer replaces an
/// older one (the peer restarted while its old socket lingered).
/// </summary>
public sealed class DataPlane : IAsyncDisposable
{
    private readonly DataPlaneSettings _settings;
    private readonly IFrameHandler _handler;
    private readonly ILogger _logger;
    private readonly SocketListener _listener;
    private readonly ConcurrentDictionary<int, PeerLink> _links = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _callers = [];

    public DataPlane(DataPlaneSettings settings, IFrameHandler handler, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _handler = handler;
        _logger = loggerFactory.CreateLogger<DataPlane>();
        _listener = new SocketListener(settings.Listen, AcceptAsync, loggerFactory.CreateLogger<SocketListener>());
    }

    /// <summary>Where this node accepts data connections (its port is known once started, even when configured as 0).</summary>
    public IPEndPoint LocalEndPoint => _listener.LocalEndPoint;

    /// <summary>Starts accepting, and calling the lower-numbered peers.</summary>
    public void Start()
    {
        _listener.Start();
        _logger.Listening(_settings.Self, _listener.LocalEndPoint);
        foreach (var (peer, endPoint) in _settings.Peers.Where(p => p.Key < _settings.Self))
        {
            _callers.Add(CallAsync(peer, endPoint));
        }
    }

    /// <summary>Whether a connection to <paramref name="peer"/> is up now.</summary>
    public bool IsConnected(int peer) => _links.ContainsKey(peer);

    /// <summary>
    /// Queues <paramref name="frame"/> for <paramref name="peer"/>; false when there is no connection to it or
    /// too much already waits for it. A frame that was queued can still be lost with its connection: the
    /// protocols above retry.
    /// </summary>
    public bool TrySend(int peer, IOutgoingFrame frame) =>
        frame.Kind >= Handshake.FirstUserKind
            ? _links.TryGetValue(peer, out var link) && link.TrySend(frame)
            : throw new ArgumentException($"frame kinds below {Handshake.FirstUserKind} belong to the transport", nameof(frame));

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        foreach (var link in _links.Values)
        {
            link.Close();
        }

        await _listener.DisposeAsync();
        await Task.WhenAll(_callers);
        _stopping.Dispose();
    }

    private async Task CallAsync(int peer, IPEndPoint endPoint)
    {
        var pause = _settings.ReconnectMin;
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await SocketConnection.ConnectAsync(endPoint, _settings.Listen.Address, _stopping.Token);
                Frame.Write(connection.Output, new Handshake(_settings.ClusterName, _settings.Self, peer));
                await connection.Output.FlushAsync(_stopping.Token);
                var answer = await ReadHandshakeAsync(connection);
                if (answer is null || answer.ClusterName != _settings.ClusterName || answer.From != peer || answer.To != _settings.Self)
                {
                    _logger.CallFailed(peer, endPoint, $"it answered as {answer?.ToString() ?? "nothing valid"}");
                }
                else
                {
                    pause = _settings.ReconnectMin;
                    await RunLinkAsync(peer, connection);
                    continue;
                }
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or OperationCanceledException or InvalidOperationException)
            {
                _logger.CallFailed(peer, endPoint, e.Message);
            }

            try
            {
                await Task.Delay(pause, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, _settings.ReconnectMax.Ticks));
        }
    }

    private async Task AcceptAsync(SocketConnection connection, CancellationToken shutdown)
    {
        var hello = await ReadHandshakeAsync(connection);
        if (hello is null || hello.ClusterName != _settings.ClusterName || hello.To != _settings.Self
            || hello.From <= _settings.Self || !_settings.Peers.ContainsKey(hello.From))
        {
            _logger.Refused(connection.RemoteEndPoint, $"it introduced itself as {hello?.ToString() ?? "nothing valid"}");
            return;
        }

        Frame.Write(connection.Output, new Handshake(_settings.ClusterName, _settings.Self, hello.From));
        await connection.Output.FlushAsync(shutdown);
        await RunLinkAsync(hello.From, connection);
    }

    private async Task<Handshake?> ReadHandshakeAsync(SocketConnection connection)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_settings.HandshakeTimeout);
        var input = connection.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync(timeout.Token);
                var buffer = result.Buffer;
                var status = Frame.TryRead(ref buffer, 1024, out var kind, out var payload, out _);
                if (status == FrameReadStatus.Complete)
                {
                    var parsed = Handshake.TryParse(kind, payload, out var handshake) ? handshake : null;
                    input.AdvanceTo(buffer.Start);
                    return parsed;
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (status == FrameReadStatus.Error || result.IsCompleted)
                {
                    return null;
                }
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return null;
        }
    }

    private async Task RunLinkAsync(int peer, SocketConnection connection)
    {
        var link = new PeerLink(peer, connection, _settings, _logger);
        if (_links.TryGetValue(peer, out var previous))
        {
            previous.Close();
        }

        _links[peer] = link;
        _logger.LinkUp(peer, connection.RemoteEndPoint);
        _handler.OnLinkUp(peer);
        var reason = await link.ReadAsync(_handler);
        if (_links.TryRemove(KeyValuePair.Create(peer, link)))
        {
            _logger.LinkDown(peer, reason);
            _handler.OnLinkDown(peer);
        }
    }
}
