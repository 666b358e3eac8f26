using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// NOP-Out / NOP-In (RFC 7143 11.18, 11.19): answering the initiator's pings, and pinging an
/// idle initiator to find out whether it is still there.
/// </summary>
internal sealed partial class SessionActor
{
    private static readonly TimeSpan MinimumPingTick = TimeSpan.FromMilliseconds(10);

    private long _lastReceivedAt = Environment.TickCount64;
    private uint? _pingTag;
    private long _pingSentAt;

    private void NoteReceived() => _lastReceivedAt = Environment.TickCount64;

    private void HandleNopOut(NopOutPdu nop)
    {
        if (nop.TargetTransferTag != BasicHeaderSegment.ReservedTag)
        {
            // The answer to a target ping (RFC 7143 11.18.3): it carries our tag back.
            if (nop.TargetTransferTag == _pingTag)
            {
                _pingTag = null;
            }

            return;
        }

        if (nop.InitiatorTaskTag == BasicHeaderSegment.ReservedTag)
        {
            // RFC 7143 11.18.2: ITT 0xffffffff asks for no answer.
            return;
        }

        OfferOrdered(nop, nop.Immediate, nop.CmdSN);
    }

    private void AnswerNopOut(NopOutPdu nop)
    {
        var echo = nop.Data.Length <= _negotiated.InitiatorMaxRecvDataSegmentLength
            ? nop.Data
            : nop.Data[.._negotiated.InitiatorMaxRecvDataSegmentLength];
        _connection.Send(new NopInPdu
        {
            Lun = nop.Lun,
            InitiatorTaskTag = nop.InitiatorTaskTag,
            TargetTransferTag = BasicHeaderSegment.ReservedTag,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
            Data = echo,
        });
    }

    private void StartPings()
    {
        if (_settings.NopInInterval <= TimeSpan.Zero)
        {
            return;
        }

        var tick = TimeSpan.FromTicks(Math.Max(MinimumPingTick.Ticks, Math.Min(_settings.NopInInterval.Ticks, _settings.NopInTimeout.Ticks) / 2));
        Timers.StartPeriodicTimer(PingTick.Instance, PingTick.Instance, tick);
    }

    private void HandlePingTick()
    {
        var now = Environment.TickCount64;
        if (_pingTag is not null)
        {
            if (now - _pingSentAt >= (long)_settings.NopInTimeout.TotalMilliseconds)
            {
                // The initiator is gone (or hung): drop the connection, which ends the session at ERL 0.
                _logger.PingTimedOut(SessionName, _settings.NopInTimeout);
                _connection.Abort();
                EndNow();
            }

            return;
        }

        if (now - _lastReceivedAt < (long)_settings.NopInInterval.TotalMilliseconds)
        {
            return;
        }

        // RFC 7143 11.19: a NOP-In with a valid TTT and ITT 0xffffffff asks for a NOP-Out;
        // StatSN is the next one but does not advance.
        var tag = NextTransferTag();
        _pingTag = tag;
        _pingSentAt = now;
        _connection.Send(new NopInPdu
        {
            TargetTransferTag = tag,
            StatSN = _statSn,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
        });
    }
}

/// <summary>The session's periodic check for idleness and unanswered pings.</summary>
internal sealed record PingTick
{
    public static readonly PingTick Instance = new();

    private PingTick()
    {
    }
}
