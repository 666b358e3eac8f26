namespace IscsiCluster.Actors;

/// <summary>Creates unstarted timers that do not capture the caller's ExecutionContext (and so no ambient actor).</summary>
internal static class NonFlowingTimer
{
    public static Timer Create(TimerCallback callback, object state)
    {
        if (ExecutionContext.IsFlowSuppressed())
        {
            return new Timer(callback, state, Timeout.Infinite, Timeout.Infinite);
        }

        using (ExecutionContext.SuppressFlow())
        {
            return new Timer(callback, state, Timeout.Infinite, Timeout.Infinite);
        }
    }
}
