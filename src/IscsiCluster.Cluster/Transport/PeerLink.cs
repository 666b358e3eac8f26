using System.Buffers;
using System.Collections.Concurrent;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Transport;

/// <summary>
/// One established data connection to a peer node. Senders queue frames without waiting; whoever takes
/// the one writer slot writes what is queued into the connection's pipe and flushes once per batch, so
/// frames queued meanwhile share one send (the outbox pattern of the iSCSI connections). The read loop
/// hands each complete, checked frame to the <see cref="IFrameHandler"/>.
/// </summary>
internal sealed class PeerLink
{
    private const long FlushThreshold = 512 * 1024;
    private const int Idle = 0;
    private const int Writing = 1;

    private readonly ConcurrentQueue<IOutgoingFrame> _queue = new();
    private readonly SocketConnection _connection;
    private readonly DataPlaneSettings _settings;
    private readonly ILogger _logger;
    private long _queuedBytes;
    private int _state;
    private volatile bool _closed;

    public PeerLink(int peer, SocketConnection connection, DataPlaneSettings settings, ILogger logger)
    {
        Peer = peer;
        _connection = connection;
        _settings = settings;
        _logger = logger;
    }

    public int Peer { get; }

    public SocketConnection Connection => _connection;

    /// <summary>Queues a frame; false when the link is closed or too much is already waiting for this peer.</summary>
    public bool TrySend(IOutgoingFrame frame)
    {
        if (_closed)
        {
            return false;
        }

        var size = Frame.HeaderLength + (long)frame.PayloadLength + Frame.TrailerLength;
        if (Interlocked.Add(ref _queuedBytes, size) > _settings.MaxQueuedBytes)
        {
            Interlocked.Add(ref _queuedBytes, -size);
            return false;
        }

        _queue.Enqueue(frame);
        if (Interlocked.CompareExchange(ref _state, Writing, Idle) == Idle)
        {
            _ = WriteAsync();
        }

        return true;
    }

    /// <summary>Reads frames until the connection ends; returns why it ended.</summary>
    public async Task<string> ReadAsync(IFrameHandler handler)
    {
        var input = _connection.Input;
        try
        {
            while (true)
            {
                var result = await input.ReadAsync();
                var buffer = result.Buffer;
                string? error = null;
                using (ThreadBatch.Enter())
                {
                    // The actors the frames are for handle them on this thread, once the whole read is parsed.
                    while (true)
                    {
                        var status = Frame.TryRead(ref buffer, _settings.MaxFramePayload, out var kind, out var payload, out error);
                        if (status != FrameReadStatus.Complete)
                        {
                            break;
                        }

                        handler.OnFrame(Peer, kind, payload);
                    }
                }

                input.AdvanceTo(buffer.Start, buffer.End);
                if (error is not null)
                {
                    _logger.ProtocolError(Peer, error);
                    return error;
                }

                if (result.IsCompleted || result.IsCanceled)
                {
                    return "closed by the peer";
                }
            }
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or ObjectDisposedException or InvalidOperationException)
        {
            return e.Message;
        }
        finally
        {
            Close();
        }
    }

    /// <summary>Stops sending and aborts the connection; frames still queued are dropped.</summary>
    public void Close()
    {
        _closed = true;
        _connection.Abort();
    }

    private async Task WriteAsync()
    {
        var output = _connection.Output;
        try
        {
            while (true)
            {
                var written = false;
                while (_queue.TryDequeue(out var frame))
                {
                    Interlocked.Add(ref _queuedBytes, -(Frame.HeaderLength + (long)frame.PayloadLength + Frame.TrailerLength));
                    if (_closed)
                    {
                        continue;
                    }

                    Frame.Write(output, frame);
                    written = true;
                    if (output.UnflushedBytes >= FlushThreshold && !await FlushAsync(output))
                    {
                        Close();
                        return;
                    }
                }

                if (written && !await FlushAsync(output))
                {
                    Close();
                    return;
                }

                Volatile.Write(ref _state, Idle);
                if (_queue.IsEmpty || Interlocked.CompareExchange(ref _state, Writing, Idle) != Idle)
                {
                    return;
                }
            }
        }
        catch (Exception e)
        {
            // The connection is gone (or a frame could not be written): the read loop ends too, and the
            // layers above hear OnLinkDown and retry.
            _logger.ProtocolError(Peer, $"sending failed: {e.Message}");
            Close();
        }
    }

    private static async ValueTask<bool> FlushAsync(System.IO.Pipelines.PipeWriter output)
    {
        var result = await output.FlushAsync();
        return !result.IsCompleted && !result.IsCanceled;
    }
}
