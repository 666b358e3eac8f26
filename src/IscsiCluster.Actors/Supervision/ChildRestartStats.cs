namespace IscsiCluster.Actors;

/// <summary>A child as its parent sees it: its ref, whether it was told to stop, and its restart budget.</summary>
internal sealed class ChildRestartStats(LocalActorRef child)
{
    private int _restartCount;
    private long _windowStart;

    public LocalActorRef Child { get; } = child;

    public bool StopRequested { get; set; }

    /// <summary>Counts one more restart and says whether it stays within the strategy's limit.</summary>
    public bool RequestRestartPermission(int maxNrOfRetries, TimeSpan withinTimeRange)
    {
        if (maxNrOfRetries < 0)
        {
            return true;
        }

        if (maxNrOfRetries == 0)
        {
            return false;
        }

        var now = Environment.TickCount64;
        var windowed = withinTimeRange > TimeSpan.Zero;
        if (_restartCount == 0 || (windowed && now - _windowStart > (long)withinTimeRange.TotalMilliseconds))
        {
            _restartCount = 1;
            _windowStart = now;
            return true;
        }

        _restartCount++;
        return _restartCount <= maxNrOfRetries;
    }
}
