using System.Diagnostics;

namespace IscsiCluster.Drill;

/// <summary>
/// A LUN reached through every portal, with what dm-multipath does with its paths under <c>no_path_retry queue</c>:
/// commands go down the path that last answered, a command that meets a dead path or a LUN in transition is sent
/// again down the next path, dead paths are retried once a second, and I/O queues while no path answers (up to
/// <see cref="QueueLimit"/>, past which the command fails as an error the application would see). Only errors the
/// target reports as such (a CHECK CONDITION other than NOT READY or UNIT ATTENTION) fail a command at once.
/// </summary>
internal sealed class MultipathDevice : IDisposable
{
    private static readonly TimeSpan ReconnectInterval = TimeSpan.FromSeconds(1);
    private readonly IscsiPath[] _paths;
    private readonly long[] _nextReconnect;
    private readonly Stopwatch _clock;
    private int _current;

    public MultipathDevice(IReadOnlyList<string> portals, string target, int lun, string initiator, Stopwatch clock, int timeoutSeconds = 5)
    {
        _paths = [.. portals.Select(p => new IscsiPath(p, target, lun, initiator, timeoutSeconds))];
        _nextReconnect = new long[_paths.Length];
        _clock = clock;

        // Every path logged in from the start, as dm-multipath keeps them: a command turned away by one finds the next ready.
        for (var i = 0; i < _paths.Length; i++)
        {
            if (!_paths[i].TryConnect())
            {
                _nextReconnect[i] = _clock.ElapsedTicks + (long)(ReconnectInterval.TotalSeconds * Stopwatch.Frequency);
            }
        }
    }

    public TimeSpan QueueLimit { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>What the last failed command met.</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Runs one command until a path answers it, or it fails for good. True when GOOD.</summary>
    public bool Execute(Func<IscsiPath, Outcome> command)
    {
        var started = _clock.Elapsed;
        var unitAttentions = 0;
        var triedSinceWait = 0;
        while (true)
        {
            var path = Choose();
            if (path is null || triedSinceWait >= _paths.Length)
            {
                if (_clock.Elapsed - started > QueueLimit)
                {
                    LastError = $"no path answered within {QueueLimit.TotalSeconds:0} s: {string.Join("; ", _paths.Select(p => $"{p.Portal} {p.LastError}"))}";
                    return false;
                }

                Thread.Sleep(100);
                triedSinceWait = 0;
                continue;
            }

            switch (command(path))
            {
                case Outcome.Good:
                    return true;
                case Outcome.UnitAttention when ++unitAttentions <= 8:
                    continue;
                case Outcome.UnitAttention:
                case Outcome.NotReady:
                    Next();
                    triedSinceWait++;
                    continue;
                case Outcome.PathDown:
                    _nextReconnect[_current] = _clock.ElapsedTicks + (long)(ReconnectInterval.TotalSeconds * Stopwatch.Frequency);
                    Next();
                    triedSinceWait++;
                    continue;
                default:
                    LastError = $"{path.Portal}: {path.LastError}";
                    return false;
            }
        }
    }

    /// <summary>The current path if it is connected, else the next that is or that reconnects now.</summary>
    private IscsiPath? Choose()
    {
        for (var i = 0; i < _paths.Length; i++)
        {
            var index = (_current + i) % _paths.Length;
            var path = _paths[index];
            if (!path.Connected && _clock.ElapsedTicks >= _nextReconnect[index])
            {
                if (!path.TryConnect())
                {
                    _nextReconnect[index] = _clock.ElapsedTicks + (long)(ReconnectInterval.TotalSeconds * Stopwatch.Frequency);
                }
            }

            if (path.Connected)
            {
                _current = index;

                return path;
            }
        }

        return null;
    }

    private void Next() => _current = (_current + 1) % _paths.Length;

    public void Dispose()
    {
        foreach (var path in _paths)
        {
            path.Dispose();
        }
    }
}
