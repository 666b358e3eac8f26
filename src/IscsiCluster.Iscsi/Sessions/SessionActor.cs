using Akka.Actor;
using Akka.Event;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// One iSCSI session in full feature phase (RFC 7143 section 3.2.2 onwards). Its connection's
/// read loop Tells it every PDU; it orders commands by CmdSN, gathers write data, hands
/// complete commands to LUN actors and turns their answers into Data-In and SCSI Response
/// PDUs, which it queues on the connection's outbox without ever waiting for the socket.
/// The file is split by PDU family: Commands, DataIn, TaskManagement, Nop, Text, Logout.
/// </summary>
internal sealed partial class SessionActor : UntypedActor, IWithTimers
{
    private readonly SessionParameters _parameters;
    private readonly IscsiSettings _settings;
    private readonly ITargetDirectory _directory;
    private readonly IPduSink _connection;
    private readonly TransferBudget _transfers;
    private readonly ILogger _logger;
    private readonly NegotiatedValues _negotiated;
    private readonly CommandWindow<object> _window;
    private readonly Queue<object> _delivery = new();
    private readonly Dictionary<uint, ScsiTask> _tasks = [];
    private readonly HashSet<IActorRef> _lunsUsed = [];
    private readonly string _sessionName;
    private readonly RepeatedWarnings _warnings;
    private IReadOnlyDictionary<ulong, IActorRef> _luns;
    private uint _statSn;
    private uint _nextTransferTag;
    private bool _ended;
    private bool _outputHeld;
    private int _tasksAwaitingData;

    /// <summary>The ping and logout timers; Akka cancels them when the session stops.</summary>
    public ITimerScheduler Timers { get; set; } = null!;

    public SessionActor(SessionParameters parameters, IscsiSettings settings, ITargetDirectory directory, IPduSink connection, TransferBudget transfers, ILogger logger)
    {
        _transfers = transfers;
        _parameters = parameters;
        _settings = settings;
        _directory = directory;
        _connection = connection;
        _logger = logger;
        _negotiated = parameters.Negotiated;
        _window = new CommandWindow<object>(parameters.ExpCmdSn, settings.CmdSnWindowDepth);
        _statSn = parameters.StatSn;
        _luns = parameters.Target?.Luns ?? new Dictionary<ulong, IActorRef>();
        _sessionName = $"{parameters.Key.InitiatorName},0x{parameters.Key.Isid:x12} TSIH {parameters.Tsih}";
        _warnings = new RepeatedWarnings(settings.RepeatedWarningInterval);
    }

    /// <summary>The next CmdSN expected in order, carried by every response (RFC 7143 4.2.2.1).</summary>
    private uint ExpCmdSn => _window.ExpCmdSn;

    /// <summary>The last CmdSN the initiator may use now, carried by every response.</summary>
    private uint MaxCmdSn => _window.MaxCmdSn;

    /// <summary>How logs name the session: initiator port and TSIH.</summary>
    private string SessionName => _sessionName;

    protected override void PreStart()
    {
        if (_parameters.Target is { } target && _parameters.Nexus is { } nexus)
        {
            target.Target.Tell(
                new SessionOpened(nexus, Self)
                {
                    InitiatorAlias = _parameters.Initiator.Alias,
                    InitiatorEndPoint = _parameters.Initiator.EndPoint,
                    Tsih = _parameters.Tsih,
                    ConnectionId = _parameters.ConnectionId,
                },
                Self);
        }

        StartPings();
        StartDataOutTimer();
        _logger.SessionOpened(_parameters.RoutineLevel, SessionName, _parameters.Key.TargetName.Length == 0 ? "discovery" : _parameters.Key.TargetName);
    }

    protected override void PostStop()
    {
        _connection.Close();
        ReleaseAllTransfers();
        if (_parameters.Target is { } target && _parameters.Nexus is { } nexus)
        {
            foreach (var lun in _lunsUsed)
            {
                lun.Tell(new NexusLost(nexus), Self);
            }

            target.Target.Tell(new SessionClosed(nexus, Self), Self);
        }

        foreach (var (kind, count, since) in _warnings.Drain())
        {
            _logger.WarningsSuppressed(SessionName, count, kind, since);
        }

        _logger.SessionClosed(_parameters.RoutineLevel, SessionName);
        _parameters.Log?.Closed();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ScsiDataOutPdu dataOut:
                NoteReceived();
                HandleDataOut(dataOut);
                _connection.Consumed(dataOut);
                break;
            case ScsiCommandPdu command:
                NoteReceived();
                HandleScsiCommand(command);
                _connection.Consumed(command);
                break;
            case CommandComplete complete:
                HoldOutput();
                HandleCommandComplete(complete);
                break;
            case PushOutput:
                PushHeldOutput();
                break;
            case IscsiPdu pdu:
                NoteReceived();
                HandleOtherPdu(pdu);
                _connection.Consumed(pdu);
                break;
            case PduReadError error:
                HandleReadError(error);
                break;
            case ConnectionEnded ended:
                HandleConnectionEnded(ended);
                break;
            case PingTick:
                HandlePingTick();
                break;
            case DataOutTick:
                HandleDataOutTick();
                break;
            case TaskManagementAnswered answered:
                HandleTaskManagementAnswered(answered);
                break;
            case TargetsListed listed:
                HandleTargetsListed(listed);
                break;
            case LunMapChanged changed:
                _luns = changed.Luns;
                break;
            case LunTasksLost lost:
                HandleLunTasksLost(lost);
                break;
            case CloseSession close:
                HandleCloseSession(close);
                break;
            case LogoutGraceExpired:
                _logger.LogoutGraceExpired(SessionName);
                EndNow();
                break;
            case EndSession end:
                HandleEndSession(end);
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void HandleOtherPdu(IscsiPdu pdu)
    {
        switch (pdu)
        {
            case NopOutPdu nop:
                HandleNopOut(nop);
                break;
            case TaskManagementRequestPdu request:
                OfferOrdered(request, request.Immediate, request.CmdSN);
                break;
            case TextRequestPdu text:
                OfferOrdered(text, text.Immediate, text.CmdSN);
                break;
            case LogoutRequestPdu logout:
                OfferOrdered(logout, logout.Immediate, logout.CmdSN);
                break;
            case SnackPdu:
                // RFC 7143 11.16: SNACK needs ErrorRecoveryLevel > 0; this target negotiates 0.
                SendReject(RejectReason.ProtocolError, pdu);
                break;
            case LoginRequestPdu:
                // RFC 7143 11.12: a Login Request in full feature phase is a protocol error.
                SendReject(RejectReason.ProtocolError, pdu);
                break;
            default:
                if (Warn("unsupported opcode"))
                {
                    _logger.UnsupportedOpcode(SessionName, pdu.Opcode);
                }

                SendReject(RejectReason.CommandNotSupported, pdu);
                break;
        }
    }

    /// <summary>
    /// Puts a non-SCSI request through the CmdSN window (RFC 7143 3.2.2.1) unless it is
    /// immediate, then runs whatever has become deliverable.
    /// </summary>
    private void OfferOrdered(IscsiPdu request, bool immediate, uint cmdSn)
    {
        if (immediate)
        {
            RunOrdered(request);
            return;
        }

        if (!TryOffer(cmdSn, request))
        {
            return;
        }

        Deliver();
    }

    private bool TryOffer(uint cmdSn, object item)
    {
        var verdict = _window.Offer(cmdSn, item);
        if (verdict == WindowVerdict.Accepted)
        {
            return true;
        }

        // RFC 7143 3.2.2.1: commands outside the window (or duplicates) are silently dropped.
        if (Warn("command outside the CmdSN window"))
        {
            _logger.CommandDropped(SessionName, cmdSn, ExpCmdSn, MaxCmdSn, verdict);
        }

        return false;
    }

    /// <summary>Hands on, in CmdSN order, everything whose turn has come and that is ready.</summary>
    private void Deliver()
    {
        while (_window.TryTakeNext(out var item))
        {
            _delivery.Enqueue(item);
        }

        while (_delivery.TryPeek(out var head))
        {
            if (head is ScsiTask task)
            {
                if (task.Stage == TaskStage.Aborted)
                {
                    _delivery.Dequeue();
                    _window.Complete();
                    continue;
                }

                if (!task.DataComplete)
                {
                    if (task.Attribute != TaskAttribute.Simple)
                    {
                        return;
                    }

                    // Delivered in its CmdSN turn; it runs once its data is in. SAM-5 task attributes:
                    // simple tasks carry no order among themselves, so later ones need not wait for the
                    // initiator to send this one's data.
                    _delivery.Dequeue();
                    task.AwaitingData = true;
                    _tasksAwaitingData++;
                    continue;
                }

                if (_tasksAwaitingData > 0 && task.Attribute != TaskAttribute.Simple)
                {
                    // An ordered (or head of queue, ACA) task does not pass earlier tasks still waiting for data.
                    return;
                }

                _delivery.Dequeue();
                Execute(task);
            }
            else
            {
                _delivery.Dequeue();
                _window.Complete();
                if (head is IscsiPdu request)
                {
                    RunOrdered(request);
                }
            }
        }
    }

    private void RunOrdered(IscsiPdu request)
    {
        switch (request)
        {
            case NopOutPdu nop:
                AnswerNopOut(nop);
                break;
            case TaskManagementRequestPdu taskManagement:
                HandleTaskManagement(taskManagement);
                break;
            case TextRequestPdu text:
                HandleTextRequest(text);
                break;
            case LogoutRequestPdu logout:
                HandleLogout(logout);
                break;
        }
    }

    /// <summary>
    /// A PDU the connection could not parse (RFC 7143 7.8, 11.17): a Reject carrying its header
    /// when the stream is still in sync; the connection ends when it is not.
    /// </summary>
    private void HandleReadError(PduReadError error)
    {
        if (error.RejectReason is { } reason)
        {
            SendReject(reason, error.Header);
        }

        if (error.Kind == PduErrorKind.DataDigestMismatch && error.Opcode == IscsiOpcode.ScsiCommand)
        {
            EndCorruptCommand(error.Header.Span);
        }
        else if (error.Kind == PduErrorKind.DataDigestMismatch && error.Opcode == IscsiOpcode.ScsiDataOut)
        {
            TakeCorruptDataOut(error.Header.Span);
        }

        if (error.ConnectionMustClose)
        {
            _connection.Close();
            EndNow();
        }
    }

    private void HandleConnectionEnded(ConnectionEnded ended)
    {
        if (ended.Error is { } error)
        {
            _logger.ConnectionFailed(SessionName, error);
        }

        EndNow();
    }

    private void HandleEndSession(EndSession end)
    {
        if (end.Reason == SessionEndReason.PortalStopping)
        {
            // RFC 7143 11.9.1 AsyncEvent 3: the target drops all connections of the session.
            _connection.Send(new AsyncMessagePdu
            {
                AsyncEvent = AsyncEvent.SessionDropping,
                StatSN = _statSn++,
                ExpCmdSN = ExpCmdSn,
                MaxCmdSN = MaxCmdSn,
                Parameter2 = _negotiated.DefaultTime2Wait,
                Parameter3 = _negotiated.DefaultTime2Retain,
            });
            _connection.Close();
        }

        _logger.SessionEnded(SessionName, end.Reason);
        EndNow();
    }

    /// <summary>Stops the session; PostStop tells the target and the LUNs.</summary>
    private void EndNow()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        Context.Stop(Self);
    }

    /// <summary>
    /// Whether a warning the initiator can cause with every PDU is to be logged now: the first of
    /// its kind is, the rest are counted and reported at most once an interval (and at the end).
    /// </summary>
    private bool Warn(string kind)
    {
        if (!_warnings.ShouldLog(kind, out var suppressed, out var since))
        {
            return false;
        }

        if (suppressed > 0)
        {
            _logger.WarningsSuppressed(SessionName, suppressed, kind, since);
        }

        return true;
    }

    private uint NextTransferTag()
    {
        // 0xffffffff is the reserved tag (RFC 7143 11.2.1.8).
        var tag = _nextTransferTag++;
        if (tag == BasicHeaderSegment.ReservedTag)
        {
            tag = _nextTransferTag++;
        }

        return tag;
    }

    private void SendReject(RejectReason reason, IscsiPdu offending) => SendReject(reason, PduHeaders.Encode(offending));

    /// <summary>RFC 7143 11.17: a Reject carries the rejected PDU's header as its data.</summary>
    private void SendReject(RejectReason reason, ReadOnlyMemory<byte> header)
    {
        _connection.Send(new RejectPdu
        {
            Reason = reason,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
            Data = header,
        });
    }
}

/// <summary>Told by the connection when it has ended (peer closed, reset, protocol error); Error is null for a clean close.</summary>
/// <remarks>A session that ended first (logout) has stopped by then: that is no dead letter worth a log line.</remarks>
internal sealed record ConnectionEnded(Exception? Error) : IDeadLetterSuppression;
