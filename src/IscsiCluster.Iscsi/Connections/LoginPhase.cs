using System.Net;
using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Chap;
using IscsiCluster.Iscsi.Protocol.Negotiation;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using IscsiCluster.Iscsi.Sessions;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging;
using DirectoryAccount = IscsiCluster.Iscsi.Targets.ChapAccount;
using ProtocolAccount = IscsiCluster.Iscsi.Protocol.Chap.ChapAccount;
using SessionType = IscsiCluster.Iscsi.Protocol.Negotiation.SessionType;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>
/// The target side of one connection's login phase (RFC 7143 section 6, 11.12, 11.13): checks
/// versions, stages and the T/C bits, gathers continued text, resolves the target and its ACL,
/// runs authentication (None or CHAP) in the security stage and operational negotiation in the
/// operational stage, and on the transition to full feature phase opens the session (with
/// reinstatement of an older one with the same initiator, ISID and target). One instance per
/// connection; requests are handled one at a time.
/// </summary>
internal sealed partial class LoginPhase
{
    // RFC 7143 11.12.4: version 0x00 is the only version defined.
    private const byte SupportedVersion = 0x00;

    // Continued login text beyond this is refused (an initiator's keys fit in a few KiB).
    private const int MaxLoginTextLength = 64 * 1024;

    private const string DiscoverySessionType = "Discovery";
    private const string NormalSessionType = "Normal";

    private readonly PortalContext _portal;
    private readonly IPEndPoint _remote;
    private readonly IPEndPoint _local;
    private readonly IPduSink _sink;
    private readonly ILogger _logger;
    private readonly List<byte> _pendingText = [];
    private LoginRequestPdu? _first;
    private LoginStage _stage;
    private uint _statSn;
    private OperationalNegotiator? _negotiator;
    private ChapAuthenticator? _authenticator;
    private InitiatorContext? _initiator;
    private TargetAccess? _target;

    public LoginPhase(PortalContext portal, IPEndPoint remote, IPEndPoint local, IPduSink sink)
    {
        _portal = portal;
        _remote = remote;
        _local = local;
        _sink = sink;
        _logger = portal.LoggerFactory.CreateLogger<LoginPhase>();
    }

    /// <summary>The session opened by a completed login.</summary>
    public SessionCreated? Session { get; private set; }

    /// <summary>The negotiated values once the login completed.</summary>
    public NegotiatedParameters? Negotiated => _negotiator?.Parameters;

    /// <summary>Answers one Login Request.</summary>
    public async ValueTask<LoginStep> HandleAsync(LoginRequestPdu request, CancellationToken cancellationToken)
    {
        if (CheckHeader(request) is { } headerFailure)
        {
            return Fail(request, headerFailure.Status, headerFailure.Reason);
        }

        _pendingText.AddRange(request.Data.Span);
        if (_pendingText.Count > MaxLoginTextLength)
        {
            return Fail(request, LoginStatus.InitiatorError, $"login text longer than {MaxLoginTextLength} bytes");
        }

        if (request.Continue)
        {
            // RFC 7143 11.12.2: more text of this request follows; answer with an empty response.
            return Respond(request, [], transit: false);
        }

        var text = _pendingText.ToArray();
        _pendingText.Clear();
        if (!TextParser.TryParse(text, out var keys, out var textError))
        {
            return Fail(request, LoginStatus.InitiatorError, textError.Message);
        }

        if (_negotiator is null && await StartAsync(request, keys, cancellationToken) is { } startFailure)
        {
            return Fail(request, startFailure.Status, startFailure.Reason);
        }

        return await NegotiateAsync(request, keys, cancellationToken);
    }

    private async ValueTask<LoginStep> NegotiateAsync(LoginRequestPdu request, IReadOnlyList<TextKeyValue> keys, CancellationToken cancellationToken)
    {
        var response = new List<TextKeyValue>();
        var authenticationInProgress = false;
        if (request.CurrentStage == LoginStage.SecurityNegotiation)
        {
            var step = _authenticator!.Process(keys);
            if (step.Outcome == AuthenticationOutcome.Failed)
            {
                return Fail(request, step.Status, step.FailureReason ?? "authentication failed");
            }

            authenticationInProgress = step.Outcome == AuthenticationOutcome.Continue && step.Response.Count > 0;
            response.AddRange(step.Response);
        }

        var negotiation = _negotiator!.Negotiate(keys, request.CurrentStage);
        if (negotiation.Failed)
        {
            return Fail(request, negotiation.Status, negotiation.FailureReason ?? "negotiation failed");
        }

        response.AddRange(negotiation.Response);
        if (!request.Transit)
        {
            return Respond(request, response, transit: false);
        }

        if (request.CurrentStage == LoginStage.SecurityNegotiation && !_authenticator!.IsAuthenticated)
        {
            // RFC 7143 6.3.1: the target may hold the initiator in the security stage while CHAP
            // is under way; leaving it unauthenticated ends the login.
            return authenticationInProgress
                ? Respond(request, response, transit: false)
                : Fail(request, LoginStatus.AuthenticationFailure, "the initiator left the security stage without authenticating");
        }

        if (request.NextStage != LoginStage.FullFeaturePhase)
        {
            var step = Respond(request, response, transit: true);
            _stage = request.NextStage;
            return step;
        }

        return await CompleteAsync(request, response, cancellationToken);
    }

    private async ValueTask<LoginStep> CompleteAsync(LoginRequestPdu request, List<TextKeyValue> response, CancellationToken cancellationToken)
    {
        var negotiated = _negotiator!.Parameters;
        var first = _first!;
        var discovery = _target is null;
        var key = new SessionKey(_initiator!.InitiatorName, first.Isid, _target?.TargetName ?? string.Empty);
        var nexus = _target is null ? null : CreateNexus(key);
        var values = ToValues(negotiated);

        // The final Login Response carries _statSn; the session's first status carries the next one.
        var sessionStatSn = _statSn + 1;
        var settings = _portal.Settings;
        var directory = _portal.Directory;
        var sink = _sink;
        var initiator = _initiator;
        var target = _target;
        var logger = _portal.LoggerFactory.CreateLogger<SessionActor>();
        var transfers = _portal.Transfers;
        var log = new SessionLogTicket(_portal.SessionChurn, initiator.InitiatorName, _remote.Address, _portal.SessionChurn.Opening(initiator.InitiatorName, _remote.Address));
        var reply = await _portal.Registry.Ask<object>(
            new OpenSession(
                key,
                tsih => Props.Create(() => new SessionActor(
                    new SessionParameters(tsih, key, initiator, nexus, target, values, first.CmdSN, sessionStatSn, first.ConnectionId) { Log = log },
                    settings,
                    directory,
                    sink,
                    transfers,
                    logger)).WithDispatcher(settings.SessionDispatcher)),
            _portal.RegistryTimeout,
            cancellationToken);
        if (reply is not SessionCreated created)
        {
            return Fail(request, LoginStatus.ServiceUnavailable, reply is SessionRefused refused ? refused.Reason : "no session could be opened");
        }

        Session = created;
        LoginSucceeded(log.Level, discovery, created.Tsih);
        return Respond(request, response, transit: true, created.Tsih) with { Outcome = LoginOutcome.Completed };
    }

    private ITNexus CreateNexus(SessionKey key) => new(
        key.InitiatorName,
        $"{key.InitiatorName},i,0x{key.Isid:x12}",
        key.TargetName,
        _portal.Settings.TargetPortalGroupTag,
        _portal.Settings.RelativeTargetPortId);

    private static NegotiatedValues ToValues(NegotiatedParameters negotiated) => new(
        negotiated.InitialR2T,
        negotiated.ImmediateData,
        negotiated.FirstBurstLength,
        negotiated.MaxBurstLength,
        negotiated.MaxOutstandingR2T,
        negotiated.MaxSendDataSegmentLength,
        negotiated.MaxRecvDataSegmentLength,
        negotiated.HeaderDigest,
        negotiated.DataDigest,
        (ushort)negotiated.DefaultTime2Wait,
        (ushort)negotiated.DefaultTime2Retain);

    /// <summary>
    /// Checks what the first request settles (RFC 7143 6.3, 11.12): initiator and target names,
    /// the target and its ACL, the TSIH; then sets up negotiation and authentication.
    /// </summary>
    private async ValueTask<(LoginStatus Status, string Reason)?> StartAsync(LoginRequestPdu request, IReadOnlyList<TextKeyValue> keys, CancellationToken cancellationToken)
    {
        var initiatorName = Find(keys, LoginKeys.InitiatorName);
        if (string.IsNullOrEmpty(initiatorName))
        {
            return (LoginStatus.MissingParameter, "the first Login Request has no InitiatorName");
        }

        _initiator = new InitiatorContext(initiatorName, _remote.Address)
        {
            Alias = Find(keys, LoginKeys.InitiatorAlias),
            EndPoint = _remote,
            PortalEndPoint = _local,
        };
        var sessionType = Find(keys, LoginKeys.SessionType) ?? NormalSessionType;
        AuthenticationPolicy policy;
        switch (sessionType)
        {
            case DiscoverySessionType:
                var discovery = await _portal.Directory.GetDiscoveryAccessAsync(_initiator, cancellationToken);
                policy = ToPolicy(discovery.IncomingAccounts, discovery.OutgoingAccount);
                break;
            case NormalSessionType:
                var targetName = Find(keys, LoginKeys.TargetName);
                if (string.IsNullOrEmpty(targetName))
                {
                    return (LoginStatus.MissingParameter, "the first Login Request of a Normal session has no TargetName");
                }

                try
                {
                    _target = await _portal.Directory.GetTargetAsync(targetName, _initiator, cancellationToken);
                }
                catch (TargetUnavailableException e)
                {
                    return (LoginStatus.ServiceUnavailable, e.Message);
                }

                if (_target is null)
                {
                    return (LoginStatus.NotFound, $"no target named '{targetName}'");
                }

                if (!_target.InitiatorAllowed)
                {
                    return (LoginStatus.AuthorizationFailure, $"the ACL of '{targetName}' does not admit '{initiatorName}'");
                }

                policy = ToPolicy(_target.IncomingAccounts, _target.OutgoingAccount);
                break;
            default:
                return (LoginStatus.SessionTypeNotSupported, $"SessionType '{sessionType}' is not supported");
        }

        if (request.Tsih != 0 && await CheckExistingSessionAsync(request.Tsih, cancellationToken) is { } tsihFailure)
        {
            return tsihFailure;
        }

        if (request.CurrentStage != LoginStage.SecurityNegotiation && policy.AuthenticationRequired)
        {
            // RFC 7143 6.3: skipping the security stage is allowed only when no authentication is required.
            return (LoginStatus.AuthenticationFailure, "the initiator skipped the security stage but CHAP is required");
        }

        _authenticator = new ChapAuthenticator(policy);
        _negotiator = new OperationalNegotiator(
            _portal.Limits,
            new LoginNegotiationContext { TargetPortalGroupTag = _portal.Settings.TargetPortalGroupTag, TargetAlias = _target?.Alias });
        return null;
    }

    /// <summary>
    /// A login with TSIH != 0 adds a connection to an existing session (RFC 7143 6.3.5). This
    /// target runs one connection per session (MaxConnections=1), so it refuses either way.
    /// </summary>
    private async ValueTask<(LoginStatus Status, string Reason)?> CheckExistingSessionAsync(ushort tsih, CancellationToken cancellationToken)
    {
        var found = await _portal.Registry.Ask<SessionFound>(new FindSession(tsih), _portal.RegistryTimeout, cancellationToken);
        return found.Session is null
            ? (LoginStatus.SessionDoesNotExist, $"no session with TSIH {tsih}")
            : (LoginStatus.TooManyConnections, $"session TSIH {tsih} already has its one connection (MaxConnections=1)");
    }

    private static AuthenticationPolicy ToPolicy(IReadOnlyList<DirectoryAccount> incoming, DirectoryAccount? outgoing) => new(
        [.. incoming.Select(account => new ProtocolAccount(account.User, account.Secret))],
        outgoing is null ? null : new ProtocolAccount(outgoing.User, outgoing.Secret));

    private static string? Find(IReadOnlyList<TextKeyValue> keys, string key)
    {
        foreach (var pair in keys)
        {
            if (pair.Key == key)
            {
                return pair.Value;
            }
        }

        return null;
    }
}
