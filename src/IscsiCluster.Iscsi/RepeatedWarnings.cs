namespace IscsiCluster.Iscsi;

/// <summary>
/// Keeps a peer from flooding the log: per kind of warning (one instance per connection), the
/// first occurrence is logged, later ones within <c>interval</c> are only counted, and the count is
/// reported once the interval has passed (with the next occurrence) and when the connection ends.
/// A flood thus costs at most two lines per kind and interval. Not thread-safe: one owner (a
/// session actor, a connection's read loop) calls it.
/// </summary>
internal sealed class RepeatedWarnings
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Entry> _kinds = new(StringComparer.Ordinal);

    public RepeatedWarnings(TimeSpan interval, TimeProvider? time = null)
    {
        _interval = interval;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Notes one occurrence of <paramref name="kind"/>. Returns true when it is to be logged; then
    /// <paramref name="suppressed"/> is how many occurrences were swallowed since the last logged one
    /// (to be reported beside it), and <paramref name="since"/> how long ago that one was.
    /// </summary>
    public bool ShouldLog(string kind, out long suppressed, out TimeSpan since)
    {
        var now = _time.GetTimestamp();
        if (!_kinds.TryGetValue(kind, out var entry))
        {
            _kinds[kind] = new Entry(now, 0);
            suppressed = 0;
            since = TimeSpan.Zero;
            return true;
        }

        since = _time.GetElapsedTime(entry.LoggedAt, now);
        if (since < _interval)
        {
            _kinds[kind] = entry with { Suppressed = entry.Suppressed + 1 };
            suppressed = 0;
            return false;
        }

        suppressed = entry.Suppressed;
        _kinds[kind] = new Entry(now, 0);
        return true;
    }

    /// <summary>What is still counted and never reported, by kind, with how long ago it was last logged; clears it.</summary>
    public IReadOnlyList<(string Kind, long Suppressed, TimeSpan Since)> Drain()
    {
        var now = _time.GetTimestamp();
        var result = _kinds
            .Where(pair => pair.Value.Suppressed > 0)
            .Select(pair => (pair.Key, pair.Value.Suppressed, _time.GetElapsedTime(pair.Value.LoggedAt, now)))
            .ToList();
        foreach (var (kind, _, _) in result)
        {
            _kinds[kind] = _kinds[kind] with { Suppressed = 0 };
        }

        return result;
    }

    private readonly record struct Entry(long LoggedAt, long Suppressed);
}
