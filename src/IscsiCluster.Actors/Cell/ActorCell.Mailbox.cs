using System.Collections.Concurrent;
using System.Threading.Channels;

namespace IscsiCluster.Actors;

/// <summary>
/// The mailbox: user messages in an unbounded single-reader channel, system messages in their own queue. A Tell
/// writes the struct envelope and schedules the cell on the ThreadPool if it is idle; a run handles all system
/// messages, then up to <see cref="Throughput"/> user messages (system messages first between each), then yields.
/// </summary>
internal sealed partial class ActorCell : IThreadPoolWorkItem
{
    private const int Throughput = 64;
    private const int Idle = 0;
    private const int Scheduled = 1;

    private readonly ChannelReader<Envelope> _mailboxReader;
    private readonly ChannelWriter<Envelope> _mailboxWriter;
    private readonly ConcurrentQueue<SystemMessage> _systemMessages = new();
    private readonly Lock _systemMessageLock = new();
    private int _status;
    private volatile bool _isTerminated;

    private bool CanProcessUserMessages => _actor is not null && !_failed && _pendingTask is null && !_terminating;

    public void Post(Envelope envelope)
    {
        if (_mailboxWriter.TryWrite(envelope))
        {
            Schedule();
        }
        else
        {
            _system.PublishDeadLetter(envelope.Message, envelope.Sender, Self);
        }
    }

    public void SendSystemMessage(SystemMessage message)
    {
        bool dead;
        lock (_systemMessageLock)
        {
            dead = _isTerminated;
            if (!dead)
            {
                _systemMessages.Enqueue(message);
            }
        }

        if (dead)
        {
            HandleSystemMessageAfterDeath(message);
        }
        else
        {
            Schedule();
        }
    }

    public void Execute()
    {
        var previous = _current;
        _current = this;
        try
        {
            ProcessSystemMessages();
            ProcessUserMessages();
        }
        catch (Exception ex)
        {
            ActorsLog.MailboxRunFailed(_system.Log, ex, Self.Path);
        }
        finally
        {
            _current = previous;
            Interlocked.Exchange(ref _status, Idle);
            if (HasPendingWork())
            {
                Schedule();
            }
        }
    }

    private void Schedule()
    {
        if (Volatile.Read(ref _status) == Idle && Interlocked.CompareExchange(ref _status, Scheduled, Idle) == Idle)
        {
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    private bool HasPendingWork() =>
        !_isTerminated && (!_systemMessages.IsEmpty || (CanProcessUserMessages && _mailboxReader.TryPeek(out _)));

    private void ProcessSystemMessages()
    {
        while (!_isTerminated && _systemMessages.TryDequeue(out var message))
        {
            try
            {
                HandleSystemMessage(message);
            }
            catch (Exception ex)
            {
                ActorsLog.MailboxRunFailed(_system.Log, ex, Self.Path);
            }
        }
    }

    private void ProcessUserMessages()
    {
        for (var handled = 0; handled < Throughput && CanProcessUserMessages && _mailboxReader.TryRead(out var envelope); handled++)
        {
            Invoke(envelope);
            if (!_systemMessages.IsEmpty)
            {
                ProcessSystemMessages();
            }
        }
    }

    private void Invoke(Envelope envelope)
    {
        var message = envelope.Message;
        _currentMessage = message;
        _currentSender = envelope.Sender;
        try
        {
            if (message is PoisonPill)
            {
                BeginTerminate();
            }
            else if (message is Kill)
            {
                throw new ActorKilledException($"{Self.Path} received Kill");
            }
            else if (!_behavior(message))
            {
                _actor!.InvokeUnhandled(message);
            }
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex);
        }

        if (message is not ReceiveTimeout && Volatile.Read(ref _receiveTimeoutMs) != 0)
        {
            Volatile.Write(ref _lastActivity, Environment.TickCount64);
        }
    }

    private void HandleSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case CreateActor:
                HandleCreate();
                break;
            case StopActor:
                BeginTerminate();
                break;
            case ResumeActor:
                HandleResume();
                break;
            case RecreateActor recreate:
                HandleRecreate(recreate.Cause);
                break;
            case ChildFailed failed:
                HandleChildFailed(failed);
                break;
            case WatchActor watch:
                _watchedBy.Add(watch.Watcher);
                break;
            case UnwatchActor unwatch:
                _watchedBy.Remove(unwatch.Watcher);
                break;
            case DeathWatchNotification notification:
                HandleDeathWatchNotification(notification.Actor);
                break;
            case AsyncHandlerCompleted completed:
                HandleAsyncHandlerCompleted(completed.Task);
                break;
        }
    }

    /// <summary>Once stopped, a cell answers a late Watch with an immediate notification and drops the rest.</summary>
    private void HandleSystemMessageAfterDeath(SystemMessage message)
    {
        if (message is WatchActor watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(Self));
        }
    }

    /// <summary>Closes the mailbox for good: later Tells and queued user messages become dead letters.</summary>
    private void CloseMailbox()
    {
        _mailboxWriter.TryComplete();
        List<SystemMessage> leftovers = [];
        lock (_systemMessageLock)
        {
            _isTerminated = true;
            while (_systemMessages.TryDequeue(out var message))
            {
                leftovers.Add(message);
            }
        }

        foreach (var message in leftovers)
        {
            HandleSystemMessageAfterDeath(message);
        }

        while (_mailboxReader.TryRead(out var envelope))
        {
            _system.PublishDeadLetter(envelope.Message, envelope.Sender, Self);
        }
    }
}
