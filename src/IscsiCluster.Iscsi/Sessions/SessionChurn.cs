using System.Net;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Keeps an initiator that opens and closes sessions in a loop from writing four log lines a session:
/// per initiator (iSCSI name and address) and summary interval, the first
/// <see cref="SessionLogSettings.LoggedSessions"/> sessions are logged as they open and close; later
/// ones are only counted, their lines go to Debug, and <see cref="TakeSummaries"/> hands out the counts
/// once their interval has passed ("N more sessions opened and M closed"). While an initiator keeps
/// churning, every later interval is summarised without logged sessions; an interval with no session
/// at all forgets it, so its next session is logged again. The table holds at most
/// <see cref="MaxTracked"/> initiators (a new one beyond that is logged as usual and not counted).
/// Shared by every connection and session of a portal; thread-safe.
/// </summary>
internal sealed class SessionChurn
{
    internal const int MaxTracked = 4096;

    private readonly SessionLogSettings _settings;
    private readonly TimeProvider _time;
    private readonly Dictionary<Initiator, Entry> _entries = [];
    private readonly Lock _lock = new();

    public SessionChurn(SessionLogSettings settings, TimeProvider? time = null)
    {
        _settings = settings;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>
    /// Notes a session of <paramref name="initiatorName"/> from <paramref name="address"/> about to open;
    /// returns false when its routine lines (login, opened, logout, closed) are to be logged at Debug.
    /// </summary>
    public bool Opening(string initiatorName, IPAddress address)
    {
        var key = new Initiator(initiatorName, address);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_entries.Count >= MaxTracked)
                {
                    return true;
                }

                entry = new Entry(now);
                _entries[key] = entry;
            }

            if (entry.Logged < _settings.LoggedSessions)
            {
                entry.Logged++;
                return true;
            }

            entry.QuietOpened++;
            return false;
        }
    }

    /// <summary>A session whose opening was not logged (see <see cref="Opening"/>) has closed normally.</summary>
    public void QuietClosed(string initiatorName, IPAddress address)
    {
        var key = new Initiator(initiatorName, address);
        lock (_lock)
        {
            if (!_entries.TryGetValue(key, out var entry))
            {
                if (_entries.Count >= MaxTracked)
                {
                    return;
                }

                // Its interval was summarised and forgotten while it ran: count the close in a new one.
                entry = new Entry(_time.GetTimestamp()) { Logged = _settings.LoggedSessions };
                _entries[key] = entry;
            }

            entry.QuietClosed++;
        }
    }

    /// <summary>
    /// The counts of every initiator whose interval has passed (all of them when <paramref name="all"/>,
    /// as when the portal stops); an initiator with nothing to report is forgotten.
    /// </summary>
    public IReadOnlyList<ChurnSummary> TakeSummaries(bool all = false)
    {
        var now = _time.GetTimestamp();
        var summaries = new List<ChurnSummary>();
        lock (_lock)
        {
            foreach (var (key, entry) in _entries.ToList())
            {
                var elapsed = _time.GetElapsedTime(entry.Started, now);
                if (!all && elapsed < _settings.SummaryInterval)
                {
                    continue;
                }

                if (entry.QuietOpened == 0 && entry.QuietClosed == 0)
                {
                    _entries.Remove(key);
                    continue;
                }

                summaries.Add(new ChurnSummary(key.Name, key.Address, entry.QuietOpened, entry.QuietClosed, elapsed));

                // Still churning: the next interval starts quiet.
                _entries[key] = new Entry(now) { Logged = _settings.LoggedSessions };
            }
        }

        return summaries;
    }

    /// <summary>How many initiators are tracked now.</summary>
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

    private readonly record struct Initiator(string Name, IPAddress Address);

    private sealed class Entry(long started)
    {
        public long Started { get; } = started;

        public int Logged { get; set; }

        public long QuietOpened { get; set; }

        public long QuietClosed { get; set; }
    }
}

/// <summary>
/// Whether one session's routine lines are logged (<see cref="SessionChurn.Opening"/>), and the way to
/// count its close when they are not.
/// </summary>
internal sealed record SessionLogTicket(SessionChurn Churn, string InitiatorName, IPAddress Address, bool Logged)
{
    /// <summary>The level of the session's login, opened, logout and closed lines.</summary>
    public LogLevel Level => Logged ? LogLevel.Information : LogLevel.Debug;

    /// <summary>The session has closed normally (logout or the initiator's clean close).</summary>
    public void Closed()
    {
        if (!Logged)
        {
            Churn.QuietClosed(InitiatorName, Address);
        }
    }
}

/// <summary>What an initiator did without being logged in one summary interval.</summary>
internal sealed record ChurnSummary(string Initiator, IPAddress Address, long Opened, long Closed, TimeSpan Elapsed);

/// <summary>How logins and logouts are logged (<c>iscsi-cluster.iscsi.session-log</c>).</summary>
/// <param name="LoggedSessions">Sessions of one initiator logged as they open and close, per interval.</param>
/// <param name="SummaryInterval">How often the sessions beyond those are summarised, per initiator.</param>
public sealed record SessionLogSettings(int LoggedSessions, TimeSpan SummaryInterval);
