namespace IscsiCluster.Actors;

/// <summary>
/// Failure handling. A failing cell suspends its user messages and reports to its parent, whose strategy answers
/// with Resume, Recreate or Stop, or escalates by failing itself with the same cause.
/// </summary>
internal sealed partial class ActorCell
{
    internal void HandleInvokeFailure(Exception cause)
    {
        if (_terminating)
        {
            ActorsLog.FailedWhileStopping(_system.Log, cause, Self.Path);
            return;
        }

        if (!_failed)
        {
            _failed = true;
            _failedMessage = _currentMessage;
        }

        _parent.SendSystemMessage(new ChildFailed(Self, cause));
    }

    private void HandleChildFailed(ChildFailed failed)
    {
        if (_terminating)
        {
            return;
        }

        var stats = FindChild(failed.Child);
        if (stats is null || stats.StopRequested)
        {
            return;
        }

        var strategy = _props.SupervisorStrategy ?? _actor?.InvokeSupervisorStrategy() ?? SupervisorStrategy.DefaultStrategy;
        Directive directive;
        try
        {
            directive = strategy.Decider(failed.Cause);
        }
        catch (Exception ex)
        {
            HandleInvokeFailure(ex);
            return;
        }

        switch (directive)
        {
            case Directive.Resume:
                ActorsLog.ChildResumed(_system.Log, failed.Cause, failed.Child.Path);
                failed.Child.SendSystemMessage(ResumeActor.Instance);
                break;
            case Directive.Restart when !stats.RequestRestartPermission(strategy.MaxNrOfRetries, strategy.WithinTimeRange):
                ActorsLog.ChildRestartLimitReached(_system.Log, failed.Cause, failed.Child.Path, strategy.MaxNrOfRetries);
                StopChildren(strategy, stats);
                break;
            case Directive.Restart:
                ActorsLog.ChildFailed(_system.Log, failed.Cause, failed.Child.Path, directive);
                foreach (var target in Targets(strategy, stats))
                {
                    target.Child.SendSystemMessage(new RecreateActor(failed.Cause));
                }

                break;
            case Directive.Stop:
                ActorsLog.ChildFailed(_system.Log, failed.Cause, failed.Child.Path, directive);
                StopChildren(strategy, stats);
                break;
            default:
                // Directive.Escalate: this cell fails with the child's cause; the child waits for the outcome.
                HandleInvokeFailure(failed.Cause);
                break;
        }
    }

    private void StopChildren(SupervisorStrategy strategy, ChildRestartStats failed)
    {
        foreach (var target in Targets(strategy, failed))
        {
            Stop(target.Child);
        }
    }

    private List<ChildRestartStats> Targets(SupervisorStrategy strategy, ChildRestartStats failed)
    {
        if (!strategy.AppliesToAllChildren)
        {
            return [failed];
        }

        lock (_childrenLock)
        {
            return [.. _children.Values.Where(static child => !child.StopRequested)];
        }
    }
}
