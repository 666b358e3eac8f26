namespace IscsiCluster.Node.Luns;

/// <summary>
/// Counts a LUN's commands still completing beside the actor (overlapping reads) and tells
/// when none is left. Entered on the actor's thread, left on whichever thread a read ends on.
/// </summary>
internal sealed class OverlapTracker
{
    private readonly Lock _lock = new();
    private int _running;
    private TaskCompletionSource? _idle;

    public void Enter()
    {
        lock (_lock)
        {
            _running++;
        }
    }

    public void Exit()
    {
        TaskCompletionSource? idle = null;
        lock (_lock)
        {
            if (--_running == 0)
            {
                (idle, _idle) = (_idle, null);
            }
        }

        idle?.TrySetResult();
    }

    /// <summary>Completes once no overlapping command is running (at once when none is).</summary>
    public Task WhenIdle()
    {
        lock (_lock)
        {
            if (_running == 0)
            {
                return Task.CompletedTask;
            }

            _idle ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _idle.Task;
        }
    }
}
