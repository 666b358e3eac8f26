using Akka.Actor;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Owns every session of a portal: assigns TSIHs, finds a session by TSIH, and reinstates a
/// session when a new leading login arrives with the key of one that is still open
/// (RFC 7143 6.3.5): the old session is ended, and only once it has stopped (and told its
/// LUNs the nexus is lost) is the new one created. Sessions are its children; one that fails
/// is stopped, never restarted with lost state.
/// </summary>
internal sealed class SessionRegistry : ReceiveActor
{
    private readonly Dictionary<SessionKey, Entry> _byKey = [];
    private readonly Dictionary<ushort, SessionKey> _keyByTsih = [];
    private readonly Dictionary<IActorRef, SessionKey> _keyBySession = [];
    private readonly Dictionary<SessionKey, List<(OpenSession Request, IActorRef ReplyTo)>> _waiting = [];
    private IActorRef? _stopRequester;
    private ushort _lastTsih;

    public SessionRegistry()
    {
        Receive<OpenSession>(HandleOpenSession);
        Receive<FindSession>(HandleFindSession);
        Receive<Terminated>(HandleTerminated);
        Receive<StopAllSessions>(_ => HandleStopAllSessions());
        Receive<RequestLogoutAll>(HandleRequestLogoutAll);
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        new OneForOneStrategy(0, TimeSpan.Zero, _ => Directive.Stop);

    private void HandleOpenSession(OpenSession request)
    {
        if (_stopRequester is not null)
        {
            Sender.Tell(new SessionRefused("the portal is stopping"));
            return;
        }

        if (_byKey.TryGetValue(request.Key, out var existing))
        {
            // RFC 7143 6.3.5: the new leading login (TSIH 0) implicitly logs the old session out.
            existing.Session.Tell(new EndSession(SessionEndReason.Reinstated));
            if (!_waiting.TryGetValue(request.Key, out var queue))
            {
                queue = [];
                _waiting[request.Key] = queue;
            }

            queue.Add((request, Sender));
            return;
        }

        Create(request, Sender);
    }

    private void Create(OpenSession request, IActorRef replyTo)
    {
        if (!TryAllocateTsih(out var tsih))
        {
            replyTo.Tell(new SessionRefused("no TSIH is free"));
            return;
        }

        var session = Context.ActorOf(request.CreateProps(tsih), $"session-{tsih}");
        Context.Watch(session);
        _byKey[request.Key] = new Entry(tsih, session);
        _keyByTsih[tsih] = request.Key;
        _keyBySession[session] = request.Key;
        replyTo.Tell(new SessionCreated(tsih, session));
    }

    private void HandleFindSession(FindSession request)
    {
        var found = _keyByTsih.TryGetValue(request.Tsih, out var key) ? _byKey[key] : null;
        Sender.Tell(new SessionFound(found?.Session, key));
    }

    private void HandleTerminated(Terminated terminated)
    {
        if (!_keyBySession.Remove(terminated.ActorRef, out var key))
        {
            return;
        }

        var entry = _byKey[key];
        _byKey.Remove(key);
        _keyByTsih.Remove(entry.Tsih);

        if (_waiting.Remove(key, out var queue))
        {
            // Only the latest login for the key gets a session; earlier ones lost the race.
            for (var i = 0; i < queue.Count - 1; i++)
            {
                queue[i].ReplyTo.Tell(new SessionRefused("reinstated again by a later login"));
            }

            var (request, replyTo) = queue[^1];
            if (_stopRequester is null)
            {
                Create(request, replyTo);
            }
            else
            {
                replyTo.Tell(new SessionRefused("the portal is stopping"));
            }
        }

        ReplyIfAllStopped();
    }

    private void HandleStopAllSessions()
    {
        _stopRequester = Sender;
        foreach (var entry in _byKey.Values)
        {
            entry.Session.Tell(new EndSession(SessionEndReason.PortalStopping));
        }

        ReplyIfAllStopped();
    }

    /// <summary>A node leaving the cluster asks its initiators to log out (RFC 7143 11.9.1 AsyncEvent 1), so they move to other paths first.</summary>
    private void HandleRequestLogoutAll(RequestLogoutAll request)
    {
        _stopRequester = Sender;
        foreach (var entry in _byKey.Values)
        {
            entry.Session.Tell(new Targets.CloseSession(request.Reason));
        }

        ReplyIfAllStopped();
    }

    private void ReplyIfAllStopped()
    {
        if (_stopRequester is not null && _byKey.Count == 0)
        {
            _stopRequester.Tell(AllSessionsStopped.Instance);
        }
    }

    private bool TryAllocateTsih(out ushort tsih)
    {
        // TSIH 0 is reserved for "new session" (RFC 7143 11.12.6).
        for (var attempt = 0; attempt < ushort.MaxValue; attempt++)
        {
            _lastTsih = _lastTsih == ushort.MaxValue ? (ushort)1 : (ushort)(_lastTsih + 1);
            if (!_keyByTsih.ContainsKey(_lastTsih))
            {
                tsih = _lastTsih;
                return true;
            }
        }

        tsih = 0;
        return false;
    }

    private sealed record Entry(ushort Tsih, IActorRef Session);
}

/// <summary>Asks the registry for a new session under <paramref name="Key"/>; answered by <see cref="SessionCreated"/> or <see cref="SessionRefused"/>.</summary>
internal sealed record OpenSession(SessionKey Key, Func<ushort, Props> CreateProps);

/// <summary>A session was created with this TSIH.</summary>
internal sealed record SessionCreated(ushort Tsih, IActorRef Session);

/// <summary>No session could be created.</summary>
internal sealed record SessionRefused(string Reason);

/// <summary>Asks for the session with a TSIH; answered by <see cref="SessionFound"/>.</summary>
internal sealed record FindSession(ushort Tsih);

/// <summary>The session with the asked TSIH and its key, or nulls when there is none.</summary>
internal sealed record SessionFound(IActorRef? Session, SessionKey? Key);

/// <summary>
/// Asks every session's initiator to log out and admits no new session; answered by <see cref="AllSessionsStopped"/>
/// once they have all ended (an initiator that does not log out is dropped after the logout grace period).
/// </summary>
internal sealed record RequestLogoutAll(string Reason);

/// <summary>Ends every session; answered by <see cref="AllSessionsStopped"/> once they have all stopped.</summary>
internal sealed record StopAllSessions
{
    public static readonly StopAllSessions Instance = new();

    private StopAllSessions()
    {
    }
}

/// <summary>Every session has stopped.</summary>
internal sealed record AllSessionsStopped
{
    public static readonly AllSessionsStopped Instance = new();

    private AllSessionsStopped()
    {
    }
}

/// <summary>Told to a session that must end at once (it stops itself after cleaning up).</summary>
internal sealed record EndSession(SessionEndReason Reason);

/// <summary>Why a session is ended from outside.</summary>
internal enum SessionEndReason
{
    Reinstated,
    PortalStopping,
}
