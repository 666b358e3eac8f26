using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>The read lease and the periodic work of a recovered owner (REPLICATION.md "Reading, and why a lease").</summary>
public sealed partial class OwnerCore
{
    private TimeSpan _leaseExpiry = TimeSpan.MinValue;
    private TimeSpan _lastHeartbeatAt = TimeSpan.MinValue;

    /// <summary>
    /// A replica answered, at our epoch, a request we sent at <paramref name="sentAt"/>: it had promised nothing newer then,
    /// so no newer owner could count it among its promises before that moment. Once a majority has answered requests sent at
    /// or after some t, the lease runs to t + L·(1 − ρ) on our clock.
    /// </summary>
    private void ConfirmLease(Peer peer, TimeSpan sentAt, TimeSpan now)
    {
        if (sentAt > now || sentAt <= peer.LeaseAckSentAt)
        {
            return;
        }

        peer.LeaseAckSentAt = sentAt;
        var confirmed = _peers.Select(p => p.LeaseAckSentAt).OrderDescending().ElementAt(_settings.Majority - 1);
        if (confirmed != TimeSpan.MinValue && confirmed + _settings.LeaseGrant > _leaseExpiry)
        {
            _leaseExpiry = confirmed + _settings.LeaseGrant;
        }
    }

    /// <summary>Has <paramref name="interval"/> passed since <paramref name="last"/> (<see cref="TimeSpan.MinValue"/>: never)?</summary>
    private static bool Due(TimeSpan last, TimeSpan now, TimeSpan interval) => last == TimeSpan.MinValue || now - last >= interval;

    private void MarkHeard(Peer peer, TimeSpan now)
    {
        peer.Heard = true;
        peer.Absent = false;
        peer.LastHeardAt = now;
    }

    private void TickReplication(TimeSpan now)
    {
        if (Due(_lastHeartbeatAt, now, _settings.HeartbeatInterval))
        {
            var committed = new Log.LogPosition(_durableIndex, EpochAt(_durableIndex));
            foreach (var peer in _peers)
            {
                Send(peer.Id, new Heartbeat(_epoch, _self, committed, now));
                if ((_settings.Breakage & ProtocolBreakage.ResignWhileServing) != 0)
                {
                    Send(peer.Id, new Resign(_epoch, _self));
                }
            }

            _lastHeartbeatAt = now;
        }

        foreach (var peer in _peers)
        {
            if (now - peer.LastHeardAt >= _settings.AbsentAfter)
            {
                peer.Absent = true;
            }

            if (peer.Mode is PeerMode.Streaming or PeerMode.Unknown)
            {
                Resend(peer, now);
            }
        }

        TickCatchUps(now);
        RequestSyncs(now, force: false);
        TimeOutCommands(now);
    }

    /// <summary>
    /// Go-back-N: a peer that has not caught up with what we sent, and made no progress for a retry interval, gets it again
    /// from just after its match index (less often once it is absent: it may be down for long).
    /// </summary>
    private void Resend(Peer peer, TimeSpan now)
    {
        var interval = peer.Absent ? _settings.HeartbeatInterval : _settings.RetryInterval;
        var from = Math.Max(peer.MatchIndex, _base.Index) + 1;
        if (from > _lastIndex || now - peer.LastSentAt < interval || now - peer.LastProgressAt < interval)
        {
            return;
        }

        if (from < WindowStart)
        {
            if (peer.Mode == PeerMode.Streaming)
            {
                MarkNeedsCatchUp(peer, now);
                StartCatchUps(now);
            }

            return;
        }

        SendAppend(peer, from, now);
    }

    private void TimeOutCommands(TimeSpan now)
    {
        List<long>? expired = null;
        foreach (var (index, write) in _pendingWrites)
        {
            if (now - write.SubmittedAt >= _settings.CommandTimeout)
            {
                _completions.Add(new Completion(write.Tag, CompletionStatus.TimedOut, index));
                (expired ??= []).Add(index);
            }
        }

        foreach (var index in expired ?? [])
        {
            _pendingWrites.Remove(index);
        }

        for (var i = _pendingFlushes.Count - 1; i >= 0; i--)
        {
            if (now - _pendingFlushes[i].SubmittedAt >= _settings.CommandTimeout)
            {
                _completions.Add(new Completion(_pendingFlushes[i].Tag, CompletionStatus.TimedOut, _pendingFlushes[i].Index));
                _pendingFlushes.RemoveAt(i);
            }
        }
    }
}
