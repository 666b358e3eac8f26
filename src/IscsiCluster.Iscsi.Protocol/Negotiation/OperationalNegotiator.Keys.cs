using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;

namespace IscsiCluster.Iscsi.Protocol.Negotiation;

/// <summary>The answer to each key of RFC 7143 section 13.</summary>
public sealed partial class OperationalNegotiator
{
    private const int MinDataLength = 512;
    private const int MaxDataLength = 16_777_215;
    private const int MaxTime = 3600;
    private const int MaxCount = 65_535;
    private const int MaxErrorRecoveryLevel = 2;
    private const int MaxProtocolLevel = 31;

    /// <summary>RFC 7143 13.24: this implementation follows RFC 7143, protocol level 1.</summary>
    private const int SupportedProtocolLevel = 1;

    private const string Crc32CValue = "CRC32C";
    private const string Rfc3720TaskReporting = "RFC3720";
    private const string DiscoveryValue = "Discovery";
    private const string NormalValue = "Normal";

    /// <summary>Answers one key into <paramref name="response"/>; returns a failure when the login must end.</summary>
    private NegotiationResult? Answer(TextKeyValue pair, LoginStage stage, List<TextKeyValue> response)
    {
        var (key, value) = pair;
        switch (key)
        {
            case LoginKeys.InitiatorName:
            case LoginKeys.TargetName:
            case LoginKeys.InitiatorAlias:
            case LoginKeys.SessionType:
                return Declare(key, value);

            // Declared by the target only (RFC 7143 13.3, 13.6, 13.8, 13.9); SendTargets is a full feature phase text key.
            case LoginKeys.TargetAlias:
            case LoginKeys.TargetAddress:
            case LoginKeys.TargetPortalGroupTag:
            case LoginKeys.SendTargets:
                return NegotiationResult.Fail(LoginStatus.InitiatorError, $"{key} may not be sent by the initiator during login");
        }

        if (LoginKeys.IsPrivateExtensionKey(key) || !IsOperationalKey(key))
        {
            // RFC 7143 6.2.1: keys we do not understand are answered NotUnderstood.
            response.Add(new TextKeyValue(key, TextValues.NotUnderstood));
            return null;
        }

        // RFC 7143 6.3: operational keys belong to the operational negotiation stage.
        if (stage != LoginStage.LoginOperationalNegotiation)
        {
            return NegotiationResult.Fail(LoginStatus.InitiatorError, $"{key} offered outside the operational negotiation stage");
        }

        if (IsIrrelevant(key))
        {
            response.Add(new TextKeyValue(key, TextValues.Irrelevant));
            return null;
        }

        if (key == LoginKeys.MaxRecvDataSegmentLength)
        {
            return DeclareSendLimit(value);
        }

        response.Add(new TextKeyValue(key, NegotiateOperational(key, value)));
        return null;
    }

    private static bool IsOperationalKey(string key) => key is LoginKeys.HeaderDigest or LoginKeys.DataDigest or LoginKeys.MaxConnections
        or LoginKeys.InitialR2T or LoginKeys.ImmediateData or LoginKeys.MaxRecvDataSegmentLength or LoginKeys.MaxBurstLength
        or LoginKeys.FirstBurstLength or LoginKeys.DefaultTime2Wait or LoginKeys.DefaultTime2Retain or LoginKeys.MaxOutstandingR2T
        or LoginKeys.DataPduInOrder or LoginKeys.DataSequenceInOrder or LoginKeys.ErrorRecoveryLevel or LoginKeys.TaskReporting
        or LoginKeys.ProtocolLevel or LoginKeys.OFMarker or LoginKeys.IFMarker or LoginKeys.OFMarkInt or LoginKeys.IFMarkInt;

    /// <summary>
    /// Session-wide (LO) keys are Irrelevant on a connection joining a session (RFC 7143 6.3), and the
    /// keys of RFC 7143 section 13 marked "Irrelevant when: SessionType=Discovery" in a discovery session.
    /// </summary>
    private bool IsIrrelevant(string key)
    {
        var discoveryIrrelevant = key is LoginKeys.MaxConnections or LoginKeys.InitialR2T or LoginKeys.ImmediateData
            or LoginKeys.MaxBurstLength or LoginKeys.FirstBurstLength or LoginKeys.MaxOutstandingR2T
            or LoginKeys.DataPduInOrder or LoginKeys.DataSequenceInOrder;
        if (discoveryIrrelevant && Parameters.SessionType == SessionType.Discovery)
        {
            return true;
        }

        var leadingOnly = discoveryIrrelevant || key is LoginKeys.DefaultTime2Wait or LoginKeys.DefaultTime2Retain
            or LoginKeys.ErrorRecoveryLevel or LoginKeys.TaskReporting or LoginKeys.ProtocolLevel;
        return leadingOnly && !IsLeadingConnection;
    }

    private NegotiationResult? Declare(string key, string value)
    {
        switch (key)
        {
            case LoginKeys.SessionType:
                if (value is not (DiscoveryValue or NormalValue))
                {
                    return NegotiationResult.Fail(LoginStatus.SessionTypeNotSupported, "SessionType is neither Discovery nor Normal");
                }

                Parameters = Parameters with { SessionType = value == DiscoveryValue ? SessionType.Discovery : SessionType.Normal };
                return null;
            case LoginKeys.InitiatorAlias:
                if (System.Text.Encoding.UTF8.GetByteCount(value) > MaxSimpleValueLength)
                {
                    return NegotiationResult.Fail(LoginStatus.InitiatorError, "InitiatorAlias is longer than 255 bytes");
                }

                Parameters = Parameters with { InitiatorAlias = value };
                return null;
        }

        if (value.Length == 0 || System.Text.Encoding.UTF8.GetByteCount(value) > MaxIscsiNameLength)
        {
            return NegotiationResult.Fail(LoginStatus.InitiatorError, $"{key} is empty or longer than {MaxIscsiNameLength} bytes");
        }

        Parameters = key == LoginKeys.InitiatorName ? Parameters with { InitiatorName = value } : Parameters with { TargetName = value };
        return null;
    }

    /// <summary>
    /// RFC 7143 13.12: the initiator declares its receive limit, which becomes our send limit. A
    /// declaration cannot be answered Reject (our own declaration of the same key is in the same
    /// response), so an out-of-range value ends the login as an initiator error.
    /// </summary>
    private NegotiationResult? DeclareSendLimit(string value)
    {
        if (!TryNumber(value, MinDataLength, MaxDataLength, out var limit))
        {
            return NegotiationResult.Fail(LoginStatus.InitiatorError, "MaxRecvDataSegmentLength is not a number from 512 to 16777215");
        }

        Parameters = Parameters with { MaxSendDataSegmentLength = limit };
        return null;
    }

    /// <summary>Returns the value to answer: the result, or Reject for a value outside its range or syntax.</summary>
    private string NegotiateOperational(string key, string value)
    {
        if (value.Length > MaxSimpleValueLength)
        {
            return TextValues.Reject;
        }

        switch (key)
        {
            case LoginKeys.HeaderDigest:
                return NegotiateDigest(value, _limits.AllowHeaderDigest, enabled => Parameters = Parameters with { HeaderDigest = enabled });
            case LoginKeys.DataDigest:
                return NegotiateDigest(value, _limits.AllowDataDigest, enabled => Parameters = Parameters with { DataDigest = enabled });
            case LoginKeys.InitialR2T:
                return Boolean(value, offered => offered || _limits.InitialR2T, result => Parameters = Parameters with { InitialR2T = result });
            case LoginKeys.ImmediateData:
                return Boolean(value, offered => offered && _limits.ImmediateData, result => Parameters = Parameters with { ImmediateData = result });
            case LoginKeys.DataPduInOrder:
                return Boolean(value, offered => offered || _limits.DataPduInOrder, result => Parameters = Parameters with { DataPduInOrder = result });
            case LoginKeys.DataSequenceInOrder:
                return Boolean(value, offered => offered || _limits.DataSequenceInOrder, result => Parameters = Parameters with { DataSequenceInOrder = result });
            case LoginKeys.MaxConnections:
                return Minimum(value, 1, MaxCount, _limits.MaxConnections, result => Parameters = Parameters with { MaxConnections = result });
            case LoginKeys.MaxBurstLength:
                return Minimum(value, MinDataLength, MaxDataLength, _limits.MaxBurstLength, result => Parameters = Parameters with
                {
                    MaxBurstLength = result,
                    FirstBurstLength = Math.Min(Parameters.FirstBurstLength, result),
                });
            case LoginKeys.FirstBurstLength:
                // RFC 7143 13.14: FirstBurstLength MUST NOT exceed MaxBurstLength.
                return Minimum(value, MinDataLength, MaxDataLength, Math.Min(_limits.FirstBurstLength, Parameters.MaxBurstLength),
                    result => Parameters = Parameters with { FirstBurstLength = result });
            case LoginKeys.DefaultTime2Wait:
                return Maximum(value, 0, MaxTime, _limits.DefaultTime2Wait, result => Parameters = Parameters with { DefaultTime2Wait = result });
            case LoginKeys.DefaultTime2Retain:
                return Minimum(value, 0, MaxTime, _limits.DefaultTime2Retain, result => Parameters = Parameters with { DefaultTime2Retain = result });
            case LoginKeys.MaxOutstandingR2T:
                return Minimum(value, 1, MaxCount, _limits.MaxOutstandingR2T, result => Parameters = Parameters with { MaxOutstandingR2T = result });
            case LoginKeys.ErrorRecoveryLevel:
                return Minimum(value, 0, MaxErrorRecoveryLevel, _limits.ErrorRecoveryLevel, result => Parameters = Parameters with { ErrorRecoveryLevel = result });
            case LoginKeys.ProtocolLevel:
                return Minimum(value, 0, MaxProtocolLevel, SupportedProtocolLevel, result => Parameters = Parameters with { ProtocolLevel = result });
            case LoginKeys.TaskReporting:
                // RFC 7143 13.23: we implement only the RFC 3720 task reporting semantics.
                return TextValues.SplitList(value).Contains(Rfc3720TaskReporting) ? Rfc3720TaskReporting : TextValues.Reject;
            case LoginKeys.OFMarker:
            case LoginKeys.IFMarker:
                // RFC 7143 dropped markers; the RFC 3720 AND-negotiation with our "No" always yields No.
                return TextValues.TryParseBoolean(value, out _) ? TextValues.No : TextValues.Reject;
            default:
                // OFMarkInt / IFMarkInt: irrelevant once markers are off (RFC 3720 12.18).
                return TextValues.Irrelevant;
        }
    }

    /// <summary>RFC 7143 13.1: the first value of the initiator's list that we support.</summary>
    private static string NegotiateDigest(string value, bool allowCrc32C, Action<bool> apply)
    {
        foreach (var choice in TextValues.SplitList(value))
        {
            if (choice == TextValues.None || (choice == Crc32CValue && allowCrc32C))
            {
                apply(choice == Crc32CValue);
                return choice;
            }
        }

        return TextValues.Reject;
    }

    private static string Boolean(string value, Func<bool, bool> result, Action<bool> apply)
    {
        if (!TextValues.TryParseBoolean(value, out var offered))
        {
            return TextValues.Reject;
        }

        var outcome = result(offered);
        apply(outcome);
        return TextValues.FormatBoolean(outcome);
    }

    private static string Minimum(string value, int min, int max, int ours, Action<int> apply) =>
        Numeric(value, min, max, offered => Math.Min(offered, ours), apply);

    private static string Maximum(string value, int min, int max, int ours, Action<int> apply) =>
        Numeric(value, min, max, offered => Math.Max(offered, ours), apply);

    private static string Numeric(string value, int min, int max, Func<int, int> result, Action<int> apply)
    {
        if (!TryNumber(value, min, max, out var offered))
        {
            return TextValues.Reject;
        }

        var outcome = result(offered);
        apply(outcome);
        return Format(outcome);
    }

    private static bool TryNumber(string value, int min, int max, out int number)
    {
        number = 0;
        if (!TextValues.TryParseNumber(value, out var parsed) || parsed < (ulong)min || parsed > (ulong)max)
        {
            return false;
        }

        number = (int)parsed;
        return true;
    }
}
