using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>
/// Target side of login text negotiation for one connection (RFC 7143 sections 6 and 13): answers
/// the declarative and operational keys of each Login Request and accumulates
/// <see cref="Parameters"/>. Authentication keys (AuthMethod, CHAP_*) are left to the authenticator.
/// The target never opens a negotiation itself; it only adds its own declarations
/// (TargetPortalGroupTag, TargetAlias, MaxRecvDataSegmentLength). Not thread-safe: one per login.
/// </summary>
public sealed partial class OperationalNegotiator
{
    /// <summary>RFC 7143 6.1: the longest value of most keys, in bytes.</summary>
    public const int MaxSimpleValueLength = 255;

    /// <summary>RFC 7143 4.2.7.1: an iSCSI name is at most 223 bytes.</summary>
    public const int MaxIscsiNameLength = 223;

    private readonly TargetNegotiationLimits _limits;
    private readonly LoginNegotiationContext _context;
    private readonly HashSet<string> _seenKeys = new(StringComparer.Ordinal);
    private bool _firstRequestDone;
    private bool _receiveLimitDeclared;

    public OperationalNegotiator(TargetNegotiationLimits limits, LoginNegotiationContext context)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(context);
        _limits = limits;
        _context = context;
        Parameters = context.ExistingSession?.ForNewConnection() ?? new NegotiatedParameters();
    }

    /// <summary>The values agreed so far, RFC defaults for the rest.</summary>
    public NegotiatedParameters Parameters { get; private set; }

    private bool IsLeadingConnection => _context.ExistingSession is null;

    /// <summary>
    /// Answers the keys of one (reassembled) Login Request received in <paramref name="stage"/>.
    /// Fails with InitiatorError for a key offered twice in the login, a security key in the
    /// operational stage or an operational key in the security stage, a target-only key sent by the
    /// initiator, or a malformed declaration; with MissingParameter when the first request lacks
    /// InitiatorName (or TargetName for a Normal session). Never throws on any key or value.
    /// </summary>
    public NegotiationResult Negotiate(IReadOnlyList<TextKeyValue> offered, LoginStage stage)
    {
        ArgumentNullException.ThrowIfNull(offered);
        var response = new List<TextKeyValue>();
        foreach (var pair in InProcessingOrder(offered))
        {
            if (LoginKeys.IsAuthenticationKey(pair.Key))
            {
                // RFC 7143 6.3: authentication keys belong to the security negotiation stage.
                if (stage != LoginStage.SecurityNegotiation)
                {
                    return NegotiationResult.Fail(LoginStatus.InitiatorError, $"{pair.Key} offered outside the security negotiation stage");
                }

                continue;
            }

            // RFC 7143 6.3: an attempt to renegotiate or redeclare a key is an initiator error.
            if (!_seenKeys.Add(pair.Key))
            {
                return NegotiationResult.Fail(LoginStatus.InitiatorError, $"{pair.Key} offered more than once");
            }

            var failure = Answer(pair, stage, response);
            if (failure is not null)
            {
                return failure;
            }
        }

        if (!_firstRequestDone)
        {
            var missing = CheckFirstRequest();
            if (missing is not null)
            {
                return missing;
            }

            AddFirstResponseDeclarations(response);
            _firstRequestDone = true;
        }

        if (stage == LoginStage.LoginOperationalNegotiation && !_receiveLimitDeclared)
        {
            // RFC 7143 13.12: each side declares its own receive limit; ours is always sent.
            _receiveLimitDeclared = true;
            response.Add(new TextKeyValue(LoginKeys.MaxRecvDataSegmentLength, Format(_limits.MaxRecvDataSegmentLength)));
            Parameters = Parameters with { MaxRecvDataSegmentLength = _limits.MaxRecvDataSegmentLength };
        }

        return new NegotiationResult(LoginStatus.Success, response, null);
    }

    /// <summary>SessionType first (it decides what is irrelevant), MaxBurstLength before FirstBurstLength.</summary>
    private static IEnumerable<TextKeyValue> InProcessingOrder(IReadOnlyList<TextKeyValue> offered) =>
        offered.OrderBy(pair => pair.Key switch
        {
            LoginKeys.SessionType => 0,
            LoginKeys.MaxBurstLength => 1,
            _ => 2,
        });

    private NegotiationResult? CheckFirstRequest()
    {
        // RFC 7143 13.5 and 13.4: InitiatorName in the first Login Request; TargetName too for a Normal session.
        if (Parameters.InitiatorName is null)
        {
            return NegotiationResult.Fail(LoginStatus.MissingParameter, "the first Login Request has no InitiatorName");
        }

        if (Parameters.SessionType == SessionType.Normal && Parameters.TargetName is null)
        {
            return NegotiationResult.Fail(LoginStatus.MissingParameter, "the first Login Request of a Normal session has no TargetName");
        }

        return null;
    }

    private void AddFirstResponseDeclarations(List<TextKeyValue> response)
    {
        if (Parameters.SessionType != SessionType.Normal)
        {
            return;
        }

        // RFC 7143 13.9: the target returns TargetPortalGroupTag in the first Login Response of a Normal session.
        response.Add(new TextKeyValue(LoginKeys.TargetPortalGroupTag, Format(_context.TargetPortalGroupTag)));
        if (!string.IsNullOrEmpty(_context.TargetAlias))
        {
            response.Add(new TextKeyValue(LoginKeys.TargetAlias, _context.TargetAlias));
        }
    }

    private static string Format(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
