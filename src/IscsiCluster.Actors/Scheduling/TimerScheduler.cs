using System.Collections.Concurrent;

namespace IscsiCluster.Actors;

/// <summary>An <see cref="IScheduler"/> on System.Threading.Timer (one shared timer queue in the runtime).</summary>
internal sealed class TimerScheduler : IScheduler, IDisposable
{
    private readonly ConcurrentDictionary<ScheduledTell, byte> _pending = new();
    private volatile bool _disposed;

    public ICancelable ScheduleTellOnce(TimeSpan delay, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        return Schedule(delay, Timeout.InfiniteTimeSpan, receiver, message, sender);
    }

    public ICancelable ScheduleTellRepeatedly(TimeSpan initialDelay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(initialDelay, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        return Schedule(initialDelay, interval, receiver, message, sender);
    }

    /// <summary>Cancels everything still pending; later schedules are cancelled on arrival.</summary>
    public void Dispose()
    {
        _disposed = true;
        foreach (var scheduled in _pending.Keys)
        {
            scheduled.Cancel();
        }
    }

    internal void Forget(ScheduledTell scheduled) => _pending.TryRemove(scheduled, out _);

    private ScheduledTell Schedule(TimeSpan delay, TimeSpan interval, IActorRef receiver, object message, IActorRef? sender)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        var scheduled = new ScheduledTell(this, receiver, message, sender ?? ActorRefs.NoSender, interval != Timeout.InfiniteTimeSpan);
        _pending.TryAdd(scheduled, 0);
        if (_disposed)
        {
            scheduled.Cancel();
        }
        else
        {
            scheduled.Start(delay, interval);
        }

        return scheduled;
    }
}

/// <summary>One scheduled Tell and its timer.</summary>
internal sealed class ScheduledTell : ICancelable
{
    private readonly TimerScheduler _owner;
    private readonly IActorRef _receiver;
    private readonly object _message;
    private readonly IActorRef _sender;
    private readonly bool _repeating;
    private readonly Timer _timer;
    private readonly Lock _fireLock = new();
    private bool _cancelled;
    private bool _done;

    public ScheduledTell(TimerScheduler owner, IActorRef receiver, object message, IActorRef sender, bool repeating)
    {
        _owner = owner;
        _receiver = receiver;
        _message = message;
        _sender = sender;
        _repeating = repeating;
        _timer = NonFlowingTimer.Create(static state => ((ScheduledTell)state!).Fire(), this);
    }

    public bool IsCancellationRequested
    {
        get
        {
            lock (_fireLock)
            {
                return _cancelled;
            }
        }
    }

    /// <summary>Once this returns, the message is not (or no longer) told.</summary>
    public void Cancel()
    {
        lock (_fireLock)
        {
            if (_cancelled || _done)
            {
                return;
            }

            _cancelled = true;
        }

        Release();
    }

    internal void Start(TimeSpan delay, TimeSpan interval) => _timer.Change(delay, interval);

    private void Fire()
    {
        lock (_fireLock)
        {
            if (_cancelled || _done)
            {
                return;
            }

            _receiver.Tell(_message, _sender);
            if (_repeating)
            {
                return;
            }

            _done = true;
        }

        Release();
    }

    private void Release()
    {
        _timer.Dispose();
        _owner.Forget(this);
    }
}
