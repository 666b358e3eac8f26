namespace IscsiCluster.Actors;

/// <summary>
/// Receive timeout without touching a timer per message: handling a message only stamps the time, and the timer
/// either fires <see cref="ReceiveTimeout"/> (the actor was idle long enough) or re-arms for the remainder.
/// </summary>
internal sealed partial class ActorCell
{
    private readonly Lock _receiveTimerLock = new();
    private long _receiveTimeoutMs;
    private long _lastActivity;
    private Timer? _receiveTimer;

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        lock (_receiveTimerLock)
        {
            if (timeout is not { } period || period <= TimeSpan.Zero)
            {
                Volatile.Write(ref _receiveTimeoutMs, 0);
                _receiveTimer?.Dispose();
                _receiveTimer = null;
                return;
            }

            var milliseconds = Math.Max(1, (long)period.TotalMilliseconds);
            Volatile.Write(ref _receiveTimeoutMs, milliseconds);
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
            _receiveTimer ??= NonFlowingTimer.Create(static state => ((ActorCell)state!).OnReceiveTimer(), this);
            _receiveTimer.Change(milliseconds, Timeout.Infinite);
        }
    }

    private void OnReceiveTimer()
    {
        lock (_receiveTimerLock)
        {
            var timeout = Volatile.Read(ref _receiveTimeoutMs);
            if (timeout == 0 || _receiveTimer is null)
            {
                return;
            }

            var idle = Environment.TickCount64 - Volatile.Read(ref _lastActivity);
            if (idle >= timeout)
            {
                Self.Tell(ReceiveTimeout.Instance, ActorRefs.NoSender);
                _receiveTimer.Change(timeout, Timeout.Infinite);
            }
            else
            {
                _receiveTimer.Change(timeout - idle, Timeout.Infinite);
            }
        }
    }
}
