using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>
/// What one connection holds between its socket and its session: PDUs read but not yet handled
/// by the session (counted by the read loop, released by the session), and answers queued but not
/// yet encoded for the socket (counted and released by the outbox). The read loop reads only while
/// both are under their limits, so an initiator that floods requests or never reads its answers is
/// held back by TCP instead of by the node's memory.
/// </summary>
/// <remarks>
/// The read loop and the releasing threads meet without a lock: the loop publishes its waiter and
/// then checks for room again; a release changes a counter and then looks for a waiter. Both are
/// full fences (Interlocked), so at least one of them sees the other.
/// </remarks>
internal sealed class ConnectionBudget
{
    private readonly int _maxPendingPdus;
    private readonly long _maxPendingBytes;
    private readonly long _maxOutputBytes;
    private int _pendingPdus;
    private long _pendingBytes;
    private long _outputBytes;
    private long _peakPendingBytes;
    private long _peakOutputBytes;
    private long _peakPendingPdus;
    private TaskCompletionSource? _waiter;

    public ConnectionBudget(LimitSettings limits)
    {
        _maxPendingPdus = limits.MaxPendingPdus;
        _maxPendingBytes = limits.MaxPendingBytes;
        _maxOutputBytes = limits.MaxOutputBytes;
    }

    /// <summary>PDUs read and not yet handled by the session.</summary>
    public int PendingPdus => Volatile.Read(ref _pendingPdus);

    /// <summary>Bytes of PDUs read and not yet handled by the session.</summary>
    public long PendingBytes => Interlocked.Read(ref _pendingBytes);

    /// <summary>Bytes of answers queued and not yet encoded for the socket.</summary>
    public long OutputBytes => Interlocked.Read(ref _outputBytes);

    /// <summary>The most <see cref="PendingPdus"/> ever was.</summary>
    public int PeakPendingPdus => (int)Interlocked.Read(ref _peakPendingPdus);

    /// <summary>The most <see cref="PendingBytes"/> ever was.</summary>
    public long PeakPendingBytes => Interlocked.Read(ref _peakPendingBytes);

    /// <summary>The most <see cref="OutputBytes"/> ever was.</summary>
    public long PeakOutputBytes => Interlocked.Read(ref _peakOutputBytes);

    /// <summary>Whether the read loop may hand the session another PDU.</summary>
    public bool HasRoom =>
        Volatile.Read(ref _pendingPdus) < _maxPendingPdus
        && Interlocked.Read(ref _pendingBytes) < _maxPendingBytes
        && Interlocked.Read(ref _outputBytes) < _maxOutputBytes;

    /// <summary>
    /// What a PDU counts for: its header and its data. A Data-In PDU counts only its header: its
    /// data is a read's buffer, which the session's transfer reservation already counts.
    /// </summary>
    public static long CostOf(IscsiPdu pdu) =>
        BasicHeaderSegment.Length + (pdu is ScsiDataInPdu ? 0 : pdu.Data.Length);

    /// <summary>The read loop hands the session a PDU of <paramref name="bytes"/>.</summary>
    public void Read(long bytes)
    {
        var pdus = Interlocked.Increment(ref _pendingPdus);
        var pending = Interlocked.Add(ref _pendingBytes, bytes);
        RaisePeak(ref _peakPendingPdus, pdus);
        RaisePeak(ref _peakPendingBytes, pending);
    }

    /// <summary>The session has handled a PDU of <paramref name="bytes"/>.</summary>
    public void Consumed(long bytes)
    {
        Interlocked.Decrement(ref _pendingPdus);
        Interlocked.Add(ref _pendingBytes, -bytes);
        WakeReader();
    }

    /// <summary>The outbox queued an answer of <paramref name="bytes"/>.</summary>
    public void Queued(long bytes) => RaisePeak(ref _peakOutputBytes, Interlocked.Add(ref _outputBytes, bytes));

    /// <summary>The outbox encoded (or dropped) an answer of <paramref name="bytes"/>.</summary>
    public void Sent(long bytes)
    {
        Interlocked.Add(ref _outputBytes, -bytes);
        WakeReader();
    }

    /// <summary>Completes once there is room for another PDU, or when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (!HasRoom)
        {
            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Interlocked.Exchange(ref _waiter, waiter);
            if (HasRoom)
            {
                Interlocked.CompareExchange(ref _waiter, null, waiter);
                return;
            }

            await waiter.Task.WaitAsync(cancellationToken);
        }
    }

    private void WakeReader()
    {
        if (Volatile.Read(ref _waiter) is { } waiter && HasRoom && Interlocked.CompareExchange(ref _waiter, null, waiter) == waiter)
        {
            waiter.TrySetResult();
        }
    }

    /// <summary>Raises <paramref name="peak"/> to <paramref name="value"/> if that is higher, whatever other threads do meanwhile.</summary>
    internal static void RaisePeak(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref peak, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}
