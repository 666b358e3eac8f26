using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Logout (RFC 7143 11.14, 11.15) and the target's request for one (Async Message, 11.9).
/// With ErrorRecoveryLevel 0 and one connection per session, closing the connection closes
/// the session, and removing a connection for recovery is not supported.
/// </summary>
internal sealed partial class SessionActor
{
    private LogoutRequestPdu? _pendingLogout;
    private bool _logoutRequested;

    private void HandleLogout(LogoutRequestPdu request)
    {
        switch (request.Reason)
        {
            case LogoutReason.CloseSession:
                _pendingLogout = request;
                break;
            case LogoutReason.CloseConnection when request.ConnectionId != _parameters.ConnectionId:
                AnswerLogout(request, LogoutResponseCode.ConnectionIdNotFound);
                return;
            case LogoutReason.CloseConnection:
                _pendingLogout = request;
                break;
            case LogoutReason.RemoveConnectionForRecovery:
                AnswerLogout(request, LogoutResponseCode.RecoveryNotSupported);
                return;
            default:
                SendReject(RejectReason.InvalidPduField, request);
                return;
        }

        if (Warn("logout"))
        {
            _logger.LogoutRequested(_parameters.RoutineLevel, SessionName, request.Reason, _tasks.Count);
        }

        AnswerLogoutIfIdle();
    }

    /// <summary>Answers a pending logout once no task is left, then closes the connection.</summary>
    private void AnswerLogoutIfIdle()
    {
        if (_pendingLogout is not { } request || _tasks.Count != 0)
        {
            return;
        }

        _pendingLogout = null;
        AnswerLogout(request, LogoutResponseCode.Success);
        Timers.Cancel(LogoutGraceExpired.Instance);
        _connection.Close();
        EndNow();
    }

    private void AnswerLogout(LogoutRequestPdu request, LogoutResponseCode response)
    {
        // RFC 7143 11.15.2, 11.15.3: Time2Wait and Time2Retain matter only for recovery, which ERL 0 does not offer.
        _connection.Send(new LogoutResponsePdu
        {
            InitiatorTaskTag = request.InitiatorTaskTag,
            Response = response,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
            Time2Wait = response == LogoutResponseCode.Success ? (ushort)0 : _negotiated.DefaultTime2Wait,
            Time2Retain = 0,
        });
    }

    private void HandleCloseSession(CloseSession close)
    {
        if (_logoutRequested)
        {
            return;
        }

        // RFC 7143 11.9.1 AsyncEvent 1: the initiator must log out within Parameter3 seconds.
        var grace = _settings.LogoutGracePeriod;
        _logger.LogoutRequestedByTarget(SessionName, close.Reason, grace);
        _connection.Send(new AsyncMessagePdu
        {
            AsyncEvent = AsyncEvent.LogoutRequested,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
            Parameter3 = (ushort)Math.Min(ushort.MaxValue, Math.Ceiling(grace.TotalSeconds)),
        });
        _logoutRequested = true;
        Timers.StartSingleTimer(LogoutGraceExpired.Instance, LogoutGraceExpired.Instance, grace);
    }
}

/// <summary>The initiator did not log out in time after the target asked it to.</summary>
internal sealed record LogoutGraceExpired
{
    public static readonly LogoutGraceExpired Instance = new();

    private LogoutGraceExpired()
    {
    }
}
