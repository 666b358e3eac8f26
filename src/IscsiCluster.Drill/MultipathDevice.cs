using System.Diagnostics;

namespace IscsiCluster.Drill;

/// <summary>
/// A LUN reached through every portal, with what dm-multipath does with its paths under <c>path_grouping_policy
/// group_by_prio</c>, <c>prio alua</c>, <c>failback immediate</c> and <c>no_path_retry queue</c>:
/// <list type="bullet">
/// <item>each path's priority comes from its target port group's asymmetric access state (REPORT TARGET PORT GROUPS down
/// that path, its group from VPD page 0x83), and commands go down the best path: the owner's (active/optimized) when it
/// is logged in;</item>
/// <item>the states are read again when a path logs in and when a command meets ASYMMETRIC ACCESS STATE CHANGED or a
/// LUN in transition, as the kernel's ALUA handler does;</item>
/// <item>a command that meets a dead path or a LUN in transition is sent again down the next best path, and I/O queues
/// while no path answers (up to <see cref="QueueLimit"/>, past which the command fails as an error the application would
/// see);</item>
/// <item>dead paths are logged in again once a second by a checker thread beside the I/O, as multipathd's path checker
/// does, so a login to a node that is still starting never holds a command back.</item>
/// </list>
/// Only errors the target reports as such (a CHECK CONDITION other than NOT READY or UNIT ATTENTION) fail a command at once.
/// One thread issues the commands; the checker only touches paths that are not logged in.
/// </summary>
internal sealed class MultipathDevice : IDisposable
{
    private static readonly TimeSpan CheckerInterval = TimeSpan.FromSeconds(1);
    private const int AsymmetricAccessStateChanged = 0x2a06;

    private readonly IscsiPath[] _paths;
    private readonly Stopwatch _clock;
    private readonly Thread _checker;
    private readonly ManualResetEventSlim _stop = new();
    private int _current;

    public MultipathDevice(IReadOnlyList<string> portals, string target, int lun, string initiator, Stopwatch clock, int timeoutSeconds = 5)
    {
        _paths = [.. portals.Select(p => new IscsiPath(p, target, lun, initiator, timeoutSeconds))];
        _clock = clock;

        // Every path logged in from the start, as dm-multipath keeps them: a command turned away by one finds the next ready.
        foreach (var path in _paths)
        {
            path.TryConnect();
        }

        _current = Best(tried: 0) ?? 0;
        _checker = new Thread(Check) { IsBackground = true, Name = "multipath checker" };
        _checker.Start();
    }

    public TimeSpan QueueLimit { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>The index (in the portals given) of the path the last command went down last.</summary>
    public int LastPath => _current;

    /// <summary>What the last failed command met.</summary>
    public string LastError { get; private set; } = "";

    /// <summary>Runs one command until a path answers it, or it fails for good. True when GOOD.</summary>
    public bool Execute(Func<IscsiPath, Outcome> command)
    {
        var started = _clock.Elapsed;
        var unitAttentions = 0;
        var tried = 0; // paths that turned this command away since the last wait, one bit each
        while (true)
        {
            if (Best(tried) is not { } index)
            {
                if (_clock.Elapsed - started > QueueLimit)
                {
                    LastError = $"no path answered within {QueueLimit.TotalSeconds:0} s: {string.Join("; ", _paths.Select(p => $"{p.Portal} {p.LastError}"))}";
                    return false;
                }

                Thread.Sleep(100);
                tried = 0;
                RefreshStates();
                continue;
            }

            _current = index;
            var path = _paths[index];
            switch (command(path))
            {
                case Outcome.Good:
                    return true;
                case Outcome.UnitAttention when ++unitAttentions <= 8:
                    if (path.LastSense == AsymmetricAccessStateChanged)
                    {
                        RefreshStates();
                    }

                    continue;
                case Outcome.UnitAttention:
                    tried |= 1 << index;
                    continue;
                case Outcome.NotReady:
                    tried |= 1 << index;
                    RefreshStates();
                    continue;
                case Outcome.PathDown:
                    tried |= 1 << index;
                    continue;
                default:
                    LastError = $"{path.Portal}: {path.LastError}";
                    return false;
            }
        }
    }

    /// <summary>
    /// The logged-in path with the best priority among those not yet <paramref name="tried"/>: the last one used when
    /// it is among the best (dm-multipath stays on a path within its group), else the first of them.
    /// </summary>
    private int? Best(int tried)
    {
        int? best = null;
        for (var i = 0; i < _paths.Length; i++)
        {
            var index = (_current + i) % _paths.Length;
            if ((tried & (1 << index)) == 0 && _paths[index].Connected && (best is null || _paths[index].Priority > _paths[best.Value].Priority))
            {
                best = index;
            }
        }

        return best;
    }

    /// <summary>Reads every logged-in path's access state again.</summary>
    private void RefreshStates()
    {
        foreach (var path in _paths)
        {
            if (path.Connected)
            {
                path.ReadAccessState();
            }
        }
    }

    /// <summary>The path checker: logs dead paths in again (reading their access state before the I/O may use them).</summary>
    private void Check()
    {
        while (!_stop.Wait(CheckerInterval))
        {
            foreach (var path in _paths)
            {
                if (!path.Connected && !_stop.IsSet)
                {
                    path.TryConnect();
                }
            }
        }
    }

    public void Dispose()
    {
        _stop.Set();
        _checker.Join();
        foreach (var path in _paths)
        {
            path.Dispose();
        }

        _stop.Dispose();
    }
}
