using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>Header checks and Login Response building (RFC 7143 11.12, 11.13).</summary>
internal sealed partial class LoginPhase
{
    /// <summary>
    /// RFC 7143 11.12: version range, stage codes, T/C bits, and, after the first request, that
    /// ISID, TSIH, CID and the current stage stay what they were.
    /// </summary>
    private (LoginStatus Status, string Reason)? CheckHeader(LoginRequestPdu request)
    {
        if (_first is null)
        {
            if (request.VersionMin > SupportedVersion || request.VersionMax < request.VersionMin)
            {
                return (LoginStatus.UnsupportedVersion, $"versions {request.VersionMin}..{request.VersionMax} do not include {SupportedVersion}");
            }

            _first = request;
            _stage = request.CurrentStage;
            _statSn = request.ExpStatSN;
        }
        else if (request.Isid != _first.Isid || request.Tsih != _first.Tsih || request.ConnectionId != _first.ConnectionId)
        {
            return (LoginStatus.InitiatorError, "ISID, TSIH or CID changed during the login");
        }

        if (request.CurrentStage is not (LoginStage.SecurityNegotiation or LoginStage.LoginOperationalNegotiation))
        {
            return (LoginStatus.InitiatorError, $"invalid current stage {(byte)request.CurrentStage}");
        }

        if (request.CurrentStage != _stage)
        {
            return (LoginStatus.InitiatorError, $"current stage {request.CurrentStage} while the target is in {_stage}");
        }

        if (request.Transit && request.Continue)
        {
            // RFC 7143 11.12.2: a request with C=1 must have T=0.
            return (LoginStatus.InitiatorError, "both T and C bits set");
        }

        if (request.Transit && !IsValidTransition(request.CurrentStage, request.NextStage))
        {
            return (LoginStatus.InitiatorError, $"invalid transition from {request.CurrentStage} to {(byte)request.NextStage}");
        }

        return null;
    }

    /// <summary>RFC 7143 6.3: stages only move forward, security may go straight to full feature phase, and stage 2 is reserved.</summary>
    private static bool IsValidTransition(LoginStage current, LoginStage next) => (current, next) switch
    {
        (LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation) => true,
        (LoginStage.SecurityNegotiation, LoginStage.FullFeaturePhase) => true,
        (LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase) => true,
        _ => false,
    };

    private LoginStep Respond(LoginRequestPdu request, IReadOnlyList<TextKeyValue> keys, bool transit, ushort tsih = 0)
    {
        var first = _first!;
        var response = new LoginResponsePdu
        {
            Transit = transit,
            CurrentStage = request.CurrentStage,
            NextStage = transit ? request.NextStage : LoginStage.SecurityNegotiation,
            VersionMax = SupportedVersion,
            VersionActive = SupportedVersion,
            Isid = first.Isid,
            Tsih = tsih != 0 ? tsih : first.Tsih,
            InitiatorTaskTag = request.InitiatorTaskTag,

            // RFC 7143 11.13.4: every Login Response takes the next StatSN.
            StatSN = _statSn++,

            // The Login Request is an immediate command: ExpCmdSN is its CmdSN (RFC 7143 11.12.8).
            ExpCmdSN = first.CmdSN,
            MaxCmdSN = unchecked(first.CmdSN - 1 + (uint)_portal.Settings.CmdSnWindowDepth),
            Status = LoginStatus.Success,
            Data = keys.Count == 0 ? ReadOnlyMemory<byte>.Empty : TextEncoder.Encode(keys),
        };
        return new LoginStep(response, LoginOutcome.Continue);
    }

    private LoginStep Fail(LoginRequestPdu request, LoginStatus status, string reason)
    {
        _logger.LoginFailed(_remote, (ushort)status, status, reason);
        var response = new LoginResponsePdu
        {
            CurrentStage = request.CurrentStage,
            VersionMax = SupportedVersion,
            VersionActive = SupportedVersion,
            Isid = request.Isid,
            Tsih = request.Tsih,
            InitiatorTaskTag = request.InitiatorTaskTag,
            StatSN = _statSn,
            ExpCmdSN = request.CmdSN,
            MaxCmdSN = request.CmdSN,
            Status = status,
        };
        return new LoginStep(response, LoginOutcome.Failed);
    }

    /// <summary>The answer to a Login Request that could not even be parsed: initiator error (RFC 7143 11.13.5).</summary>
    public LoginResponsePdu Refuse(uint initiatorTaskTag)
    {
        _logger.LoginFailed(_remote, (ushort)LoginStatus.InitiatorError, LoginStatus.InitiatorError, "malformed Login Request");
        return new LoginResponsePdu
        {
            VersionMax = SupportedVersion,
            VersionActive = SupportedVersion,
            Isid = _first?.Isid ?? 0,
            InitiatorTaskTag = initiatorTaskTag,
            StatSN = _statSn,
            Status = LoginStatus.InitiatorError,
        };
    }

    private void LoginSucceeded(LogLevel level, bool discovery, ushort tsih) =>
        _logger.LoginSucceeded(level, _remote, _initiator!.InitiatorName, discovery ? DiscoverySessionType : NormalSessionType, _target?.TargetName ?? string.Empty, tsih);
}

/// <summary>The answer to one Login Request and what the connection does next.</summary>
internal sealed record LoginStep(LoginResponsePdu Response, LoginOutcome Outcome);

/// <summary>Where the login stands after a response.</summary>
internal enum LoginOutcome
{
    /// <summary>Send the response and read the next request.</summary>
    Continue,

    /// <summary>Send the response and close the connection.</summary>
    Failed,

    /// <summary>Send the response; the connection is now in full feature phase.</summary>
    Completed,
}
