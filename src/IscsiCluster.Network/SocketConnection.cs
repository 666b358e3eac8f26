using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;

namespace IscsiCluster.Network;

/// <summary>
/// One TCP connection (accepted, or opened with <see cref="ConnectAsync"/>) seen as a pair of
/// pipes: the protocol layer reads what the peer sent from <see cref="Input"/> and writes what it
/// answers to <see cref="Output"/>. It knows nothing of what the bytes mean.
/// </summary>
public sealed class SocketConnection : IAsyncDisposable
{
    // Large enough for a BHS plus a typical 64 KiB data segment in one read.
    private const int ReceiveBufferSize = 128 * 1024;
    private const int MinimumReadSize = 4 * 1024;
    private const int MinimumWriteBufferSize = 16 * 1024;

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly CancellationTokenSource _closed = new();
    private int _aborted;

    internal SocketConnection(long id, Socket socket)
    {
        Id = id;
        _socket = socket;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Input = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: ReceiveBufferSize, minimumReadSize: MinimumReadSize, leaveOpen: true));
        Output = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: MinimumWriteBufferSize, leaveOpen: true));
    }

    /// <summary>
    /// Opens a connection to <paramref name="remote"/>. With <paramref name="localAddress"/> the socket is
    /// bound to that address first, so the peer (and a firewall rule) sees which node is calling even
    /// when every node of a test cluster shares one host.
    /// </summary>
    public static async Task<SocketConnection> ConnectAsync(IPEndPoint remote, IPAddress? localAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(remote);
        var socket = new Socket(remote.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            if (localAddress is not null)
            {
                socket.Bind(new IPEndPoint(localAddress, 0));
            }

            await socket.ConnectAsync(remote, cancellationToken);
            Configure(socket);
            return new SocketConnection(0, socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>A number unique among the connections of one listener (for logs); 0 for a connection this side opened.</summary>
    public long Id { get; }

    /// <summary>The peer's address and port.</summary>
    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>The local address and port the peer connected to.</summary>
    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Whether Nagle's algorithm is off (it is for every accepted socket).</summary>
    public bool NoDelay => _socket.NoDelay;

    /// <summary>Whether TCP keepalive probes are on (they are for every accepted socket).</summary>
    public bool KeepAlive => _socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive) is int value && value != 0;

    /// <summary>Bytes received from the peer.</summary>
    public PipeReader Input { get; }

    /// <summary>Bytes to send to the peer; a flush sends them.</summary>
    public PipeWriter Output { get; }

    /// <summary>Cancelled once the connection is aborted or disposed.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>
    /// Closes the socket at once: pending reads end (with an exception or as completed) and
    /// later writes fail. Safe to call from any thread, any number of times.
    /// </summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // Already reset by the peer: nothing left to shut down.
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Close();
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // A concurrent DisposeAsync (whose own Abort found this one under way) got there
            // first: the connection is closed either way.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Abort();
        await Input.CompleteAsync();
        await Output.CompleteAsync();
        await _stream.DisposeAsync();
        _closed.Dispose();
    }

    internal static void Configure(Socket socket)
    {
        socket.NoDelay = true;
        socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
    }
}
