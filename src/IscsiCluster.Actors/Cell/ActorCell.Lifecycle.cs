namespace IscsiCluster.Actors;

/// <summary>Creation, restart and stop of the actor instance, with the hooks in the order Akka.NET runs them.</summary>
internal sealed partial class ActorCell
{
    private bool _failed;
    private bool _terminating;
    private object? _failedMessage;
    private Exception? _pendingRecreateCause;
    private Task? _pendingTask;

    private void HandleCreate()
    {
        try
        {
            _actor = NewActor();
            _actor.InvokePreStart();
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(AsInitializationFailure(ex, "creating"));
        }
    }

    /// <summary>Stops user processing and the children; <see cref="FinishTerminate"/> runs once the last child is gone.</summary>
    private void BeginTerminate()
    {
        List<ChildRestartStats> children;
        lock (_childrenLock)
        {
            if (_terminating)
            {
                return;
            }

            _terminating = true;
            children = [.. _children.Values];
            foreach (var child in children)
            {
                child.StopRequested = true;
            }
        }

        SetReceiveTimeout(null);
        foreach (var child in children)
        {
            child.Child.SendSystemMessage(StopActor.Instance);
        }

        if (children.Count == 0)
        {
            FinishTerminate();
        }
    }

    private void FinishTerminate()
    {
        if (_actor is not null)
        {
            RunHook("PostStop", _actor.InvokePostStop);
            _actor = null;
        }

        _pendingTask = null;
        CloseMailbox();
        foreach (var watchee in _watching)
        {
            watchee.SendSystemMessage(new UnwatchActor(Self));
        }

        _watching.Clear();
        foreach (var watcher in _watchedBy)
        {
            watcher.SendSystemMessage(new DeathWatchNotification(Self));
        }

        _watchedBy.Clear();
        _parent.SendSystemMessage(new DeathWatchNotification(Self));
    }

    private void HandleResume()
    {
        if (!_failed || _terminating)
        {
            return;
        }

        _failed = false;

        // A child that escalated to this cell waits for this decision too.
        foreach (var child in Children)
        {
            ((LocalActorRef)child).SendSystemMessage(ResumeActor.Instance);
        }
    }

    /// <summary>PreRestart on the old instance (which by default stops the children), then a new instance once they are gone.</summary>
    private void HandleRecreate(Exception cause)
    {
        if (_terminating)
        {
            return;
        }

        _failed = true;
        _pendingTask = null;
        if (_actor is not null)
        {
            var old = _actor;
            var message = _failedMessage;
            RunHook("PreRestart", () => old.InvokePreRestart(cause, message));
            _actor = null;
        }

        if (HasChildrenBeingStopped())
        {
            _pendingRecreateCause = cause;
        }
        else
        {
            FinishRecreate(cause);
        }
    }

    private void FinishRecreate(Exception cause)
    {
        _pendingRecreateCause = null;
        _failedMessage = null;
        try
        {
            _actor = NewActor();
            _actor.InvokePostRestart(cause);
            _failed = false;
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(AsInitializationFailure(ex, "restarting"));
        }
    }

    private void HandleAsyncHandlerCompleted(Task task)
    {
        if (!ReferenceEquals(task, _pendingTask))
        {
            return;
        }

        _pendingTask = null;
        if (!task.IsCompletedSuccessfully)
        {
            try
            {
                task.GetAwaiter().GetResult();
            }
            catch (Exception ex)
            {
                HandleInvokeFailure(ex);
            }
        }
    }

    private void RunHook(string hook, Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            ActorsLog.LifecycleHookFailed(_system.Log, ex, hook, Self.Path);
        }
    }

    private ActorInitializationException AsInitializationFailure(Exception ex, string phase) =>
        ex as ActorInitializationException ?? new ActorInitializationException($"{Self.Path} failed while {phase}: {ex.Message}", ex);
}
