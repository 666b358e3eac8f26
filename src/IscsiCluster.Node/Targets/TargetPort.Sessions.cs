using Akka.Actor;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Node.Targets;

public sealed partial class TargetPort
{
    // Sessions whose login did not report a TSIH get ids above the 16-bit TSIH range, so they never collide.
    private const ulong FirstLocalSessionId = 0x1_0000;

    private readonly Dictionary<IActorRef, SessionEntry> _sessions = [];
    private ulong _nextLocalSessionId = FirstLocalSessionId;
    private bool _retiring;

    private void ReceiveSessionMessages()
    {
        Receive<SessionOpened>(HandleSessionOpened);
        Receive<SessionClosed>(closed => ForgetSession(closed.Session));
        Receive<Terminated>(terminated => ForgetSession(terminated.ActorRef));
        Receive<GetSessions>(_ => Sender.Tell(new SessionList([.. _sessions.Values.Select(Describe)])));
        Receive<CloseSessions>(HandleCloseSessions);
        Receive<GetStatisticsSources>(_ => Sender.Tell(new StatisticsSources(
            _sessions.Values
                .GroupBy(s => s.Opened.Nexus.InitiatorPortName, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.First().Sid, StringComparer.Ordinal))));
        Receive<Retire>(HandleRetire);
        Receive<RetireDeadline>(_ => Context.Stop(Self));
    }

    private void HandleSessionOpened(SessionOpened opened)
    {
        var sid = opened.Tsih != 0 ? opened.Tsih : _nextLocalSessionId++;
        _sessions[opened.Session] = new SessionEntry(opened, sid);
        Context.Watch(opened.Session);
        if (_retiring)
        {
            opened.Session.Tell(new CloseSession(RetireReason));
        }
    }

    private void HandleCloseSessions(CloseSessions request)
    {
        var closed = 0;
        foreach (var (session, entry) in _sessions)
        {
            if ((request.Sid is null || entry.Sid == request.Sid) && (request.Cid is null || entry.Opened.ConnectionId == request.Cid))
            {
                session.Tell(new CloseSession(request.Reason));
                closed++;
            }
        }

        Sender.Tell(new SessionsClosed(closed));
    }

    /// <summary>The target was deleted: no new logins, every session is asked to log out, then the target and its LUNs stop.</summary>
    private void HandleRetire(Retire retire)
    {
        _retiring = true;
        foreach (var session in _sessions.Keys)
        {
            session.Tell(new CloseSession(RetireReason));
        }

        if (_sessions.Count == 0)
        {
            Context.Stop(Self);
            return;
        }

        // A session that never ends (a dead initiator) does not keep a deleted target alive.
        Timers.StartSingleTimer(RetireDeadline.Instance, RetireDeadline.Instance, retire.Grace);
    }

    private void ForgetSession(IActorRef session)
    {
        if (_sessions.Remove(session))
        {
            Context.Unwatch(session);
        }

        if (_retiring && _sessions.Count == 0)
        {
            Context.Stop(Self);
        }
    }

    private SessionInfo Describe(SessionEntry entry)
    {
        var opened = entry.Opened;
        var address = opened.InitiatorEndPoint?.Address is { } ip
            ? (ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip).ToString()
            : "unknown";
        return new SessionInfo(
            _runtime.Definition.Tid,
            entry.Sid,
            opened.Nexus.InitiatorName,
            opened.InitiatorAlias,
            address,
            [new ConnectionInfo(opened.ConnectionId, address)]);
    }

    private const string RetireReason = "the target was deleted by the administrator";

    private sealed record SessionEntry(SessionOpened Opened, ulong Sid);

    /// <summary>Asks for the sessions logged in to this target; the answer is a <see cref="SessionList"/>.</summary>
    public sealed record GetSessions
    {
        public static readonly GetSessions Instance = new();

        private GetSessions()
        {
        }
    }

    /// <summary>The sessions logged in to the target, as show reports them.</summary>
    public sealed record SessionList(IReadOnlyList<SessionInfo> Sessions);

    /// <summary>Ends the sessions that match (all when both are null); the answer is a <see cref="SessionsClosed"/>.</summary>
    public sealed record CloseSessions(ulong? Sid, uint? Cid, string Reason);

    /// <summary>How many sessions were asked to end.</summary>
    public sealed record SessionsClosed(int Count);

    /// <summary>Asks where <c>--op stat</c> finds its counters; the answer is <see cref="StatisticsSources"/>.</summary>
    public sealed record GetStatisticsSources
    {
        public static readonly GetStatisticsSources Instance = new();

        private GetStatisticsSources()
        {
        }
    }

    /// <summary>The session id of each initiator port logged in to the target through this node's portal.</summary>
    public sealed record StatisticsSources(IReadOnlyDictionary<string, ulong> SidByInitiatorPort);

    /// <summary>The target is deleted: end its sessions (waiting at most <paramref name="Grace"/>) and stop.</summary>
    public sealed record Retire(TimeSpan Grace);

    private sealed record RetireDeadline
    {
        public static readonly RetireDeadline Instance = new();

        private RetireDeadline()
        {
        }
    }
}
