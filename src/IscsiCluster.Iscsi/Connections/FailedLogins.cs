using System.Net;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>
/// Slows down password guessing: counts the failed logins (authentication or authorization) of
/// each initiator address, and tells how long to hold back the answer to the next failure: nothing
/// for the first <see cref="FailedLoginSettings.FreeFailures"/>, then the first delay, doubling up
/// to the last. Only failures wait, so a good login from the same host is never slowed; a
/// successful login clears the address's count, and so do <see cref="FailedLoginSettings.ForgetAfter"/>
/// without failures. The table holds at most <see cref="MaxTracked"/> addresses (the one idle the
/// longest makes room). Shared by every connection of a portal; thread-safe.
/// </summary>
internal sealed class FailedLogins
{
    internal const int MaxTracked = 4096;

    private readonly FailedLoginSettings _settings;
    private readonly TimeProvider _time;
    private readonly Dictionary<IPAddress, Entry> _entries = [];
    private readonly Lock _lock = new();

    public FailedLogins(FailedLoginSettings settings, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Notes a failed login from <paramref name="address"/>; returns how long to wait before answering it.</summary>
    public TimeSpan Failed(IPAddress address)
    {
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var failures = _entries.TryGetValue(address, out var entry) && _time.GetElapsedTime(entry.LastFailure, now) < _settings.ForgetAfter
                ? entry.Failures + 1
                : 1;
            if (!_entries.ContainsKey(address) && _entries.Count >= MaxTracked)
            {
                _entries.Remove(_entries.MinBy(pair => pair.Value.LastFailure).Key);
            }

            _entries[address] = new Entry(failures, now);
            return DelayAfter(failures);
        }
    }

    /// <summary>A login from <paramref name="address"/> succeeded: its failures are forgotten.</summary>
    public void Succeeded(IPAddress address)
    {
        lock (_lock)
        {
            _entries.Remove(address);
        }
    }

    /// <summary>How many addresses are tracked now.</summary>
    internal int TrackedCount
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>The wait after the <paramref name="failures"/>-th failure in a row.</summary>
    internal TimeSpan DelayAfter(long failures)
    {
        var delayed = failures - _settings.FreeFailures;
        if (delayed <= 0 || _settings.FirstDelay == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // Doubling stops long before the shift could overflow: the last delay caps it.
        var factor = 1L << (int)Math.Min(delayed - 1, 30);
        var ticks = Math.Min(_settings.FirstDelay.Ticks * (double)factor, _settings.MaxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }

    private readonly record struct Entry(long Failures, long LastFailure);
}

/// <summary>How failed logins are slowed down (<c>iscsi-cluster.iscsi.failed-login</c>).</summary>
/// <param name="FreeFailures">Failures in a row answered at once.</param>
/// <param name="FirstDelay">The wait after the first failure beyond those; zero turns the delays off.</param>
/// <param name="MaxDelay">The longest wait.</param>
/// <param name="ForgetAfter">A quiet time after which an address's failures are forgotten.</param>
public sealed record FailedLoginSettings(int FreeFailures, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan ForgetAfter);
