using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Text Request / Response in full feature phase (RFC 7143 11.10, 11.11): SendTargets
/// (appendix C) answered from the target directory, continued over several responses when
/// longer than the initiator's MaxRecvDataSegmentLength; other keys are not negotiable here.
/// </summary>
internal sealed partial class SessionActor
{
    private const string SendTargetsKey = "SendTargets";
    private const string SendTargetsAll = "All";
    private const string TargetNameKey = "TargetName";
    private const string TargetAddressKey = "TargetAddress";

    private readonly List<byte> _textRequestPending = [];
    private TextContinuation? _textContinuation;
    private uint? _textRequestTag;
    private bool _textTooLongLogged;

    private void HandleTextRequest(TextRequestPdu request)
    {
        var continuesRequest = request.TargetTransferTag == _textRequestTag;
        if (request.TargetTransferTag != BasicHeaderSegment.ReservedTag && !continuesRequest)
        {
            ContinueTextResponse(request);
            return;
        }

        _textContinuation = null;
        _textRequestTag = null;
        if (_textRequestPending.Count + request.Data.Length > _settings.Limits.MaxTextLength)
        {
            // Capped as login text is: RFC 7143 11.17.1 reason 0x0a (out of resources), and the text is dropped.
            _textRequestPending.Clear();
            if (!_textTooLongLogged)
            {
                // Once a session: an initiator that keeps trying must not flood the log.
                _textTooLongLogged = true;
                _logger.TextTooLong(SessionName, _settings.Limits.MaxTextLength);
            }

            SendReject(RejectReason.LongOperationReject, request);
            return;
        }

        _textRequestPending.AddRange(request.Data.Span);
        if (request.Continue)
        {
            // RFC 7143 11.10.2: more request text follows; answer with an empty response whose
            // Target Transfer Tag the next part carries.
            var tag = NextTransferTag();
            _textRequestTag = tag;
            SendTextResponse(request, ReadOnlyMemory<byte>.Empty, final: false, continued: false, tag);
            return;
        }

        var text = _textRequestPending.ToArray();
        _textRequestPending.Clear();
        if (!TextParser.TryParse(text, out var pairs, out var error))
        {
            if (Warn("bad text request"))
            {
                _logger.BadText(SessionName, error.Message);
            }

            SendReject(RejectReason.ProtocolError, request);
            return;
        }

        var sendTargets = pairs.FirstOrDefault(pair => pair.Key == SendTargetsKey);
        var others = pairs.Where(pair => pair.Key != SendTargetsKey)
            .Select(pair => new TextKeyValue(pair.Key, TextValues.NotUnderstood))
            .ToArray();
        if (sendTargets.Key is null)
        {
            SendText(request, TextEncoder.Encode(others));
            return;
        }

        _directory.ListTargetsAsync(_parameters.Initiator, CancellationToken.None).AsTask()
            .PipeTo(
                Self,
                Self,
                success: listings => new TargetsListed(request, sendTargets.Value, others, listings),
                failure: failure => new TargetsListed(request, sendTargets.Value, others, [], failure));
    }

    private void HandleTargetsListed(TargetsListed listed)
    {
        if (listed.Error is { } error)
        {
            _logger.SendTargetsFailed(SessionName, error);
        }

        // RFC 7143 appendix C: "All" lists every target; a name lists that target; an empty
        // value (normal sessions only) lists the session's own target.
        var wanted = listed.Value switch
        {
            SendTargetsAll => listed.Listings,
            "" when !_parameters.IsDiscovery => listed.Listings.Where(t => t.TargetName == _parameters.Key.TargetName),
            _ => listed.Listings.Where(t => t.TargetName == listed.Value),
        };
        var pairs = new List<TextKeyValue>(listed.Others);
        foreach (var target in wanted)
        {
            pairs.Add(new TextKeyValue(TargetNameKey, target.TargetName));
            pairs.AddRange(target.TargetAddresses.Select(address => new TextKeyValue(TargetAddressKey, address)));
        }

        SendText(listed.Request, TextEncoder.Encode(pairs));
    }

    /// <summary>Sends a text answer, the first part only if it is longer than the initiator accepts in one PDU.</summary>
    private void SendText(TextRequestPdu request, byte[] text)
    {
        var limit = _negotiated.InitiatorMaxRecvDataSegmentLength;
        if (text.Length <= limit)
        {
            SendTextResponse(request, text, final: true, continued: false, BasicHeaderSegment.ReservedTag);
            return;
        }

        var tag = NextTransferTag();
        _textContinuation = new TextContinuation(request.InitiatorTaskTag, tag, text, limit);
        SendTextResponse(request, text.AsMemory(0, limit), final: false, continued: true, tag);
    }

    private void ContinueTextResponse(TextRequestPdu request)
    {
        if (_textContinuation is not { } continuation
            || continuation.InitiatorTaskTag != request.InitiatorTaskTag
            || continuation.TargetTransferTag != request.TargetTransferTag)
        {
            if (Warn("bad text request"))
            {
                _logger.BadText(SessionName, "Text Request with an unknown Target Transfer Tag");
            }

            SendReject(RejectReason.ProtocolError, request);
            return;
        }

        var remaining = continuation.Text.Length - continuation.Sent;
        var length = Math.Min(remaining, _negotiated.InitiatorMaxRecvDataSegmentLength);
        var part = continuation.Text.AsMemory(continuation.Sent, length);
        if (length == remaining)
        {
            _textContinuation = null;
            SendTextResponse(request, part, final: true, continued: false, BasicHeaderSegment.ReservedTag);
            return;
        }

        _textContinuation = continuation with { Sent = continuation.Sent + length };
        SendTextResponse(request, part, final: false, continued: true, continuation.TargetTransferTag);
    }

    private void SendTextResponse(TextRequestPdu request, ReadOnlyMemory<byte> data, bool final, bool continued, uint targetTransferTag)
    {
        _connection.Send(new TextResponsePdu
        {
            Final = final,
            Continue = continued,
            Lun = request.Lun,
            InitiatorTaskTag = request.InitiatorTaskTag,
            TargetTransferTag = targetTransferTag,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
            Data = data,
        });
    }

    /// <summary>A text answer longer than one PDU, sent part by part as the initiator asks for more.</summary>
    private sealed record TextContinuation(uint InitiatorTaskTag, uint TargetTransferTag, byte[] Text, int Sent);
}

/// <summary>The directory's SendTargets answer, back in the session.</summary>
internal sealed record TargetsListed(
    TextRequestPdu Request,
    string Value,
    IReadOnlyList<TextKeyValue> Others,
    IReadOnlyList<TargetListing> Listings,
    Exception? Error = null);
