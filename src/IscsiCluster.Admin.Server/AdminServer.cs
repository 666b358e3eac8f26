using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Protocol;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Admin.Server;

/// <summary>
/// The management endpoint of a node: accepts connections, reads one request line, checks who is asking,
/// hands the request to the node's handler and writes progress lines and the response line.
/// On a Unix socket (mode 0600) only root and the node's own uid are served (tgtd's model, checked with
/// SO_PEERCRED); on TCP every request must carry the configured token.
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    /// <summary>How long a client may take to send its request line.</summary>
    public static readonly TimeSpan RequestReadTimeout = TimeSpan.FromSeconds(30);

    private const uint RootUid = 0;

    private readonly Socket _listener;
    private readonly AdminRequestHandler _handler;
    private readonly ILogger _logger;
    private readonly byte[]? _tokenDigest;
    private readonly string? _socketPath;
    private readonly uint _ownUid;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _acceptLoop;
    private int _disposed;

    private AdminServer(Socket listener, AdminRequestHandler handler, ILogger logger, string? token, string? socketPath)
    {
        _listener = listener;
        _handler = handler;
        _logger = logger;
        _tokenDigest = token is null ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
        _socketPath = socketPath;
        _ownUid = PeerCredentials.EffectiveUid();
        AdminServerLog.Listening(logger, socketPath ?? listener.LocalEndPoint?.ToString() ?? "?");
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>The bound endpoint (a TCP port chosen by the system when 0 was asked).</summary>
    public EndPoint LocalEndPoint => _listener.LocalEndPoint!;

    /// <summary>Listens on a Unix socket at <paramref name="socketPath"/> with mode 0600; a stale socket file is replaced.</summary>
    /// <exception cref="IOException">Another process serves that socket.</exception>
    /// <exception cref="PlatformNotSupportedException">On Windows, where a socket file has no Unix mode.</exception>
    public static AdminServer ListenUnix(string socketPath, AdminRequestHandler handler, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(socketPath);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("the management socket needs Unix file modes and peer credentials");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(socketPath))!);
        if (File.Exists(socketPath))
        {
            if (IsServed(socketPath))
            {
                throw new IOException($"another process already serves the management socket {socketPath}");
            }

            File.Delete(socketPath);
        }

        var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            listener.Bind(new UnixDomainSocketEndPoint(socketPath));
            // The peer-credential check below is what guards the socket; the mode keeps other users from even connecting.
            File.SetUnixFileMode(socketPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            listener.Listen();
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new AdminServer(listener, handler, logger, token: null, socketPath);
    }

    /// <summary>Whether something accepts connections on the socket (then it is not a stale file left by a crash).</summary>
    private static bool IsServed(string socketPath)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>Listens on TCP; every request must carry <paramref name="token"/>.</summary>
    public static AdminServer ListenTcp(IPEndPoint endpoint, string token, AdminRequestHandler handler, ILogger logger)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            listener.Bind(endpoint);
            listener.Listen();
        }
        catch
        {
            listener.Dispose();
            throw;
        }

        return new AdminServer(listener, handler, logger, token, socketPath: null);
    }

    /// <summary>Adapts the simple handler shape (no progress) to the server.</summary>
    public static AdminRequestHandler Handler(Func<AdmRequest, CancellationToken, Task<AdmResponse>> handler) =>
        (request, _, cancellationToken) => handler(request, cancellationToken);

    private async Task AcceptLoopAsync()
    {
        var connections = new List<Task>();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                var socket = await _listener.AcceptAsync(_stopping.Token);
                connections.RemoveAll(t => t.IsCompleted);
                connections.Add(ServeAsync(socket));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException exception)
        {
            AdminServerLog.ConnectionEnded(_logger, "listener", exception.Message);
        }

        await Task.WhenAll(connections);
    }

    private async Task ServeAsync(Socket socket)
    {
        var peer = DescribePeer(socket);
        try
        {
            await using var stream = new BufferedStream(new NetworkStream(socket, ownsSocket: true));
            if (_socketPath is not null && !IsPeerAllowed(socket, out var reason))
            {
                AdminServerLog.Refused(_logger, peer, reason);
                await WriteResponseAsync(stream, AdmResponse.Failure(AdmError.PermissionDenied), _stopping.Token);
                return;
            }

            using var readTimeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            readTimeout.CancelAfter(RequestReadTimeout);
            var line = await JsonLines.ReadLineAsync(stream, JsonLines.MaxRequestBytes, readTimeout.Token);
            if (line is null)
            {
                return;
            }

            if (!AdminJson.TryDeserializeRequest(line, out var request))
            {
                AdminServerLog.Malformed(_logger, peer, "not a request document");
                await WriteResponseAsync(stream, AdmResponse.Failure(AdmError.InvalidRequest, "malformed request"), _stopping.Token);
                return;
            }

            if (_tokenDigest is not null && !IsTokenValid(request.Token))
            {
                AdminServerLog.Refused(_logger, peer, "missing or wrong token");
                await WriteResponseAsync(stream, AdmResponse.Failure(AdmError.PermissionDenied), _stopping.Token);
                return;
            }

            AdminServerLog.Received(_logger, peer, request.ToString());
            var response = await HandleAsync(request with { Token = null }, stream, peer);
            await WriteResponseAsync(stream, response, _stopping.Token);
        }
        catch (Exception exception) when (exception is IOException or SocketException or InvalidDataException or OperationCanceledException or ObjectDisposedException)
        {
            AdminServerLog.ConnectionEnded(_logger, peer, exception.Message);
        }
    }

    private async Task<AdmResponse> HandleAsync(AdmRequest request, Stream stream, string peer)
    {
        try
        {
            return await _handler(request, new StreamProgress(stream), _stopping.Token);
        }
        catch (Exception exception) when (exception is not (IOException or SocketException or OperationCanceledException))
        {
            AdminServerLog.HandlerFailed(_logger, exception, peer);
            return AdmResponse.Failure(AdmError.UnknownError, "the node failed to handle the request; see its log");
        }
    }

    private bool IsPeerAllowed(Socket socket, out string reason) =>
        IsUidAllowed(PeerCredentials.TryGetPeerUid(socket), _ownUid, out reason);

    /// <summary>tgtd's rule, widened to root: the peer must be root or run as the node's own uid.</summary>
    internal static bool IsUidAllowed(uint? peerUid, uint ownUid, out string reason)
    {
        if (peerUid is not { } uid)
        {
            reason = "the peer's credentials are unknown";
            return false;
        }

        if (uid == RootUid || uid == ownUid)
        {
            reason = "";
            return true;
        }

        reason = $"uid {uid} is neither root nor the node's uid {ownUid}";
        return false;
    }

    private bool IsTokenValid(string? token) =>
        token is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(token)), _tokenDigest);

    private static string DescribePeer(Socket socket) =>
        socket.RemoteEndPoint is IPEndPoint ip ? ip.ToString() : "unix socket peer";

    private static ValueTask WriteResponseAsync(Stream stream, AdmResponse response, CancellationToken cancellationToken) =>
        JsonLines.WriteLineAsync(stream, AdminJson.SerializeToUtf8(new AdmServerFrame(Response: response)), cancellationToken);

    /// <summary>Stops accepting, waits for requests in flight and removes the socket file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        _stopping.Dispose();
        if (_socketPath is not null && File.Exists(_socketPath))
        {
            File.Delete(_socketPath);
        }
    }

    private sealed class StreamProgress(Stream stream) : IAdminProgress
    {
        public ValueTask ReportAsync(AdmProgress progress, CancellationToken cancellationToken) =>
            JsonLines.WriteLineAsync(stream, AdminJson.SerializeToUtf8(new AdmServerFrame(Progress: progress)), cancellationToken);
    }
}
