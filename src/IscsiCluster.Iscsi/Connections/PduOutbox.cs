using System.Collections.Concurrent;
using System.IO.Pipelines;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Sessions;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>
/// The outgoing side of one connection in full feature phase. A session queues PDUs without
/// waiting and without locks (a concurrent queue and one interlocked flag). Whoever takes the
/// one writer slot encodes whatever is queued into the pipe and flushes once per batch (or when
/// a batch grows large), so PDUs queued meanwhile share one send. A sender that finds the slot
/// free writes on its own thread, which spares a thread-pool hop per response; a send the
/// socket cannot take at once continues on the thread pool, so the session never waits for it.
/// While held (<see cref="Hold"/>), a sender only queues: the session holds the outbox while it
/// answers the commands its LUNs completed, and pushes once, so they share one send.
/// Every queued PDU counts against the connection's <see cref="ConnectionBudget"/> until it is
/// encoded: the read loop stops reading while too much waits here for an initiator that does not read.
/// </summary>
internal sealed class PduOutbox : IPduSink
{
    // Flush inside a batch once this much is buffered, so a long Data-In sequence streams out
    // instead of piling up in memory.
    private const long FlushThreshold = 256 * 1024;

    private const int Idle = 0;
    private const int Writing = 1;

    private readonly ConcurrentQueue<Item> _queue = new();
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SocketConnection _connection;
    private readonly PipeWriter _output;
    private readonly ILogger _logger;
    private readonly ConnectionBudget _budget;
    private PduWriteOptions _options;
    private int _state;
    private volatile bool _started;
    private volatile bool _held;
    private volatile bool _closing;

    public PduOutbox(SocketConnection connection, ConnectionBudget budget, ILogger logger)
    {
        _connection = connection;
        _output = connection.Output;
        _budget = budget;
        _logger = logger;
    }

    /// <summary>Ends once everything queued before <see cref="Close"/> was sent, or the connection failed.</summary>
    public Task Completion => _completion.Task;

    /// <summary>Starts writing with the negotiated digests; PDUs queued before are written first.</summary>
    public void Start(PduWriteOptions options)
    {
        _options = options;
        _started = true;
        ScheduleWriter();
    }

    public void Send(IscsiPdu pdu)
    {
        if (_closing)
        {
            return;
        }

        var cost = ConnectionBudget.CostOf(pdu);
        _budget.Queued(cost);
        Enqueue(new Item(pdu, null, cost));
    }

    public void AfterQueued(Action action)
    {
        if (_closing)
        {
            return;
        }

        Enqueue(new Item(null, action, 0));
    }

    public void Consumed(IscsiPdu pdu) => _budget.Consumed(ConnectionBudget.CostOf(pdu));

    public void Hold() => _held = true;

    public void Push()
    {
        _held = false;
        if (_started && !_queue.IsEmpty && Interlocked.CompareExchange(ref _state, Writing, Idle) == Idle)
        {
            _ = WriteAsync();
        }
    }

    public void Close()
    {
        _closing = true;
        ScheduleWriter();
    }

    public void Abort()
    {
        _closing = true;
        _connection.Abort();
        ScheduleWriter();
    }

    private void Enqueue(Item item)
    {
        _queue.Enqueue(item);
        if (_started && !_held && Interlocked.CompareExchange(ref _state, Writing, Idle) == Idle)
        {
            _ = WriteAsync();
        }
    }

    private void ScheduleWriter()
    {
        if (_started && Interlocked.CompareExchange(ref _state, Writing, Idle) == Idle)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static outbox => _ = outbox.WriteAsync(), this, preferLocal: false);
        }
    }

    /// <summary>
    /// Drains the queue while it holds this outbox's one writer slot. It gives the slot back
    /// before the final emptiness check, so a PDU queued at any moment is always written,
    /// either by this writer or by the one its sender schedules.
    /// </summary>
    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                var written = false;
                while (_queue.TryDequeue(out var item))
                {
                    if (item.Pdu is null)
                    {
                        item.Action!();
                        continue;
                    }

                    PduWriter.Write(_output, item.Pdu, _options);
                    _budget.Sent(item.Cost);
                    written = true;
                    if (_output.UnflushedBytes >= FlushThreshold && !await FlushAsync())
                    {
                        Finish();
                        return;
                    }
                }

                if (written && !await FlushAsync())
                {
                    Finish();
                    return;
                }

                if (_closing && _queue.IsEmpty)
                {
                    Finish();
                    return;
                }

                Volatile.Write(ref _state, Idle);
                if ((_queue.IsEmpty && !_closing) || Interlocked.CompareExchange(ref _state, Writing, Idle) != Idle)
                {
                    return;
                }
            }
        }
        catch (Exception exception)
        {
            // The connection is gone (or a PDU could not be encoded): drop it; the read side
            // notices and ends the session.
            _logger.ConnectionEnded(_connection.RemoteEndPoint, $"sending failed: {exception.Message}");
            _connection.Abort();
            Finish();
        }
    }

    private void Finish()
    {
        // Keeps the writer slot taken: nothing is written after this.
        _closing = true;
        _completion.TrySetResult();
    }

    private async ValueTask<bool> FlushAsync()
    {
        var result = await _output.FlushAsync();
        return !result.IsCompleted && !result.IsCanceled;
    }

    /// <summary>A queued PDU, or an action to run once the PDUs before it are encoded.</summary>
    private readonly record struct Item(IscsiPdu? Pdu, Action? Action, long Cost);
}
