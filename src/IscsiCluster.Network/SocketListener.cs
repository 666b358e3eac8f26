using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Network;

/// <summary>
/// A TCP listener that accepts connections and hands each to a <see cref="ConnectionHandler"/>.
/// Stopping it stops accepting, asks the handlers to finish, then aborts what is left.
/// </summary>
public sealed class SocketListener : IAsyncDisposable
{
    private const int Backlog = 512;

    // Out of file descriptors (EMFILE, ENFILE) or socket buffers, accepting fails at once until a
    // connection closes: the loop waits, from the first delay doubling up to the last.
    internal static readonly TimeSpan FirstAcceptBackoff = TimeSpan.FromMilliseconds(10);
    internal static readonly TimeSpan LastAcceptBackoff = TimeSpan.FromSeconds(1);

    private readonly IPEndPoint _requestedEndPoint;
    private readonly ConnectionHandler _handler;
    private readonly ILogger _logger;
    private readonly Func<Socket, CancellationToken, ValueTask<Socket>> _accept;
    private readonly CancellationTokenSource _shutdown = new();
    private readonly ConcurrentDictionary<long, (SocketConnection Connection, Task Handler)> _connections = new();
    private Socket? _listenSocket;
    private Task _acceptLoop = Task.CompletedTask;
    private long _nextConnectionId;
    private int _stopped;

    public SocketListener(IPEndPoint endPoint, ConnectionHandler handler, ILogger<SocketListener> logger)
        : this(endPoint, handler, logger, static (socket, cancellationToken) => socket.AcceptAsync(cancellationToken))
    {
    }

    /// <summary>A listener whose accept call is <paramref name="accept"/>: the fault seam tests use to run out of file descriptors.</summary>
    internal SocketListener(IPEndPoint endPoint, ConnectionHandler handler, ILogger<SocketListener> logger, Func<Socket, CancellationToken, ValueTask<Socket>> accept)
    {
        _requestedEndPoint = endPoint;
        _handler = handler;
        _logger = logger;
        _accept = accept;
    }

    /// <summary>The bound address and port (the chosen port when port 0 was asked for); set by <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint { get; private set; } = new(IPAddress.None, 0);

    /// <summary>How many connections are being served now.</summary>
    public int ConnectionCount => _connections.Count;

    /// <summary>Binds and starts accepting; returns once connections can be accepted.</summary>
    public void Start()
    {
        if (_listenSocket is not null)
        {
            throw new InvalidOperationException("The listener is already started.");
        }

        var socket = new Socket(_requestedEndPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (_requestedEndPoint.AddressFamily == AddressFamily.InterNetworkV6 && _requestedEndPoint.Address.Equals(IPAddress.IPv6Any))
            {
                socket.DualMode = true;
            }

            socket.Bind(_requestedEndPoint);
            socket.Listen(Backlog);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        _listenSocket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _logger.Listening(LocalEndPoint);
        _acceptLoop = AcceptLoopAsync(socket);
    }

    /// <summary>
    /// Stops accepting, cancels the handlers' shutdown token, waits up to
    /// <paramref name="gracePeriod"/> for them to return, then aborts the remaining connections.
    /// </summary>
    public async Task StopAsync(TimeSpan gracePeriod)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        _listenSocket?.Dispose();
        await _shutdown.CancelAsync();
        await _acceptLoop;

        var handlers = _connections.Values.Select(entry => entry.Handler).ToArray();
        var all = Task.WhenAll(handlers);
        if (await Task.WhenAny(all, Task.Delay(gracePeriod)) != all)
        {
            var remaining = _connections.Values.ToArray();
            _logger.AbortingConnections(remaining.Length, LocalEndPoint);
            foreach (var (connection, _) in remaining)
            {
                connection.Abort();
            }

            await Task.WhenAll(remaining.Select(entry => entry.Handler));
        }

        if (_listenSocket is not null)
        {
            _logger.Stopped(LocalEndPoint);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.Zero);
        _shutdown.Dispose();
    }

    private async Task AcceptLoopAsync(Socket listenSocket)
    {
        var backoff = TimeSpan.Zero;
        var failures = 0L;
        var starvedSince = 0L;
        while (!_shutdown.IsCancellationRequested)
        {
            Socket accepted;
            try
            {
                accepted = await _accept(listenSocket, _shutdown.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (ObjectDisposedException)
            {
                break;
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.OperationAborted)
            {
                break;
            }
            catch (SocketException exception) when (IsOutOfResources(exception.SocketErrorCode))
            {
                // Accepting fails at once until a descriptor is free again: without a pause this
                // loop would spin and log a stack trace per attempt. Said once, then said when over.
                if (failures++ == 0)
                {
                    starvedSince = Environment.TickCount64;
                    _logger.OutOfDescriptors(LocalEndPoint, exception.SocketErrorCode, LastAcceptBackoff);
                }

                backoff = backoff == TimeSpan.Zero ? FirstAcceptBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LastAcceptBackoff.Ticks));
                try
                {
                    await Task.Delay(backoff, _shutdown.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }

                continue;
            }
            catch (SocketException exception)
            {
                // A connection reset before it was accepted: keep listening.
                _logger.AcceptFailed(LocalEndPoint, exception);
                continue;
            }

            if (failures > 0)
            {
                _logger.AcceptingAgain(LocalEndPoint, failures, TimeSpan.FromMilliseconds(Environment.TickCount64 - starvedSince));
                failures = 0;
                backoff = TimeSpan.Zero;
            }

            Accept(accepted);
        }
    }

    /// <summary>Errors that mean the process or system is out of descriptors or buffers, not that one connection failed.</summary>
    private static bool IsOutOfResources(SocketError error) =>
        error is SocketError.TooManyOpenSockets or SocketError.NoBufferSpaceAvailable;

    private void Accept(Socket socket)
    {
        SocketConnection connection;
        try
        {
            SocketConnection.Configure(socket);
            connection = new SocketConnection(Interlocked.Increment(ref _nextConnectionId), socket);
        }
        catch (SocketException exception)
        {
            _logger.AcceptFailed(LocalEndPoint, exception);
            socket.Dispose();
            return;
        }

        _logger.ConnectionAccepted(connection.Id, connection.RemoteEndPoint);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var handler = ServeAsync(connection, started.Task);
        _connections[connection.Id] = (connection, handler);
        started.SetResult();
    }

    private async Task ServeAsync(SocketConnection connection, Task registered)
    {
        // Run the handler off the accept loop, and only once the connection is registered,
        // so that its removal below always follows its addition.
        await registered;
        try
        {
            await _handler(connection, _shutdown.Token);
            _logger.ConnectionClosed(connection.Id, connection.RemoteEndPoint);
        }
        catch (Exception exception)
        {
            _logger.ConnectionFailed(connection.Id, connection.RemoteEndPoint, exception);
        }
        finally
        {
            _connections.TryRemove(connection.Id, out _);
            await connection.DisposeAsync();
        }
    }
}
