using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>Becoming owner (REPLICATION.md "Becoming owner", steps 1 to 3, and the lease wait of step 5).</summary>
public sealed partial class OwnerCore
{
    private readonly Dictionary<int, ProbeReply> _probes = [];
    private readonly Dictionary<int, (PromiseGranted Grant, TimeSpan ReceivedAt)> _grants = [];
    private long _probeId;
    private int _refusals;
    private TimeSpan _roundSentAt;

    /// <summary>Until when (own clock) older owners' leases may still run; the owner serves only from then.</summary>
    private TimeSpan _leaseWaitUntil = TimeSpan.MaxValue;

    private void BeginProbing(TimeSpan now)
    {
        _phase = Phase.Probing;
        _probeId = NonZero(_random);
        _probes.Clear();
        foreach (var peer in _peers)
        {
            peer.AnsweredRound = false;
            Send(peer.Id, new Probe(_probeId));
        }

        _roundSentAt = now;
    }

    /// <summary>
    /// Step 1: choose e = max(promised) + 1 once every replica answered, or a majority did and a retry interval passed. A
    /// majority is enough for safety (promises decide), but waiting a little for the rest avoids choosing an epoch that a
    /// stale higher promise on a slower replica would refuse, fencing this owner right after it recovered.
    /// </summary>
    private void OnProbeReply(Peer peer, ProbeReply reply, TimeSpan now)
    {
        if (_phase != Phase.Probing || reply.ProbeId != _probeId)
        {
            return;
        }

        MarkHeard(peer, now);
        peer.AnsweredRound = true;
        peer.ReportedIndex = reply.Last.Index;
        _probes[peer.Id] = reply;
        if (_probes.Count == _peers.Count)
        {
            BeginPromising(now);
        }
    }

    private void BeginPromising(TimeSpan now)
    {
        _epoch = Math.Max(_probes.Values.Max(p => p.Promised), _epoch) + 1;
        _phase = Phase.Promising;
        _grants.Clear();
        _refusals = 0;
        foreach (var p in _peers)
        {
            p.AnsweredRound = false;
            Send(p.Id, new PromiseRequest(_epoch, _self, _incarnation));
        }

        _roundSentAt = now;
    }

    /// <summary>Step 2: a majority of promises for our epoch makes us the only possible owner of it.</summary>
    private void OnPromiseGranted(Peer peer, PromiseGranted granted, TimeSpan now)
    {
        if (granted.Epoch != _epoch)
        {
            return;
        }

        MarkHeard(peer, now);
        if (_phase != Phase.Promising)
        {
            return;
        }

        peer.AnsweredRound = true;
        peer.ReportedIndex = granted.Last.Index;
        _grants[peer.Id] = (granted, now);
        if (_grants.Count >= _settings.Majority)
        {
            BeginRecovery(now);
        }
    }

    /// <summary>
    /// A refusal with a newer epoch means another owner is at work: give up (Fenced) rather than fence it in turn; the host
    /// decides whether this node should try again. Refusals of our own epoch (a rival chose it too) only matter once they
    /// leave too few replicas for a majority.
    /// </summary>
    private void OnPromiseRefused(PromiseRefused refused)
    {
        if (_phase != Phase.Promising || refused.Epoch != _epoch)
        {
            return;
        }

        _refusals++;
        if (refused.Promised > _epoch || _refusals > _peers.Count - _settings.Majority)
        {
            Fence();
        }
    }

    private void RetryRound(TimeSpan now)
    {
        if (now - _roundSentAt < _settings.RetryInterval)
        {
            return;
        }

        if (_phase == Phase.Probing && _probes.Count >= _settings.Majority)
        {
            BeginPromising(now);
            return;
        }

        foreach (var peer in _peers.Where(p => !p.AnsweredRound))
        {
            Send(peer.Id, _phase == Phase.Probing ? new Probe(_probeId) : new PromiseRequest(_epoch, _self, _incarnation));
        }

        _roundSentAt = now;
    }

    /// <summary>
    /// Step 3: the replica of the promise majority whose last entry is newest (epoch, then index) is the authority: every
    /// acknowledged write is on a majority, which meets this one, and replicas apply in index order, so it holds them all.
    /// Its log becomes ours; we append a no-op of our epoch after it (step 4) and bring the others to it.
    /// <para>
    /// Step 5, the lease wait: each promise reports how long ago that replica last acknowledged an older owner. An older lease
    /// renewed by a majority was renewed by at least one of our promisers, before it promised, so it ends at most
    /// L·(1 + ρ) − age after we received that promise; counting from the last promise received with the smallest age covers
    /// every promiser (ρ bounds both clocks' rate errors).
    /// </para>
    /// </summary>
    private void BeginRecovery(TimeSpan now)
    {
        var authority = _grants
            .OrderByDescending(g => g.Value.Grant.Last.Epoch)
            .ThenByDescending(g => g.Value.Grant.Last.Index)
            .ThenBy(g => g.Key == _self ? 0 : 1)
            .ThenBy(g => g.Key)
            .First();
        _base = authority.Value.Grant.Last;
        _lastIndex = _base.Index;
        _commitIndex = 0;
        _durableIndex = 0;

        var youngest = _grants.Values.Min(g => g.Grant.SinceLeaseAck);
        var lastPromise = _grants.Values.Max(g => g.ReceivedAt);
        var wait = (_settings.Breakage & ProtocolBreakage.SkipLeaseWait) != 0 ? TimeSpan.Zero : _settings.LeaseWait - youngest;
        _leaseWaitUntil = lastPromise + (wait > TimeSpan.Zero ? wait : TimeSpan.Zero);

        _phase = Phase.Recovering;
        foreach (var peer in _peers)
        {
            peer.NextIndex = _base.Index + 1;
            peer.LastProgressAt = now;
            if (_grants.TryGetValue(peer.Id, out var grant) && grant.Grant.Last == _base)
            {
                // Same last entry as the authority: the same log (log matching). Its promise synced everything.
                peer.Mode = PeerMode.Streaming;
                peer.MatchIndex = _base.Index;
                peer.SyncedIndex = _base.Index;
            }
            else if (_grants.ContainsKey(peer.Id))
            {
                MarkNeedsCatchUp(peer, now);
            }
            else
            {
                peer.Mode = PeerMode.Unknown;
                peer.MatchIndex = -1;
            }
        }

        _noopIndex = _lastIndex + 1;
        AppendToLog(new LogEntry(_noopIndex, _epoch, []), fua: false);
        foreach (var peer in _peers)
        {
            Pump(peer, now);
        }

        StartCatchUps(now);
    }

    /// <summary>The epoch of our log's entry at <paramref name="index"/>, for an append's predecessor.</summary>
    private long EpochAt(long index) =>
        index > _base.Index ? _epoch : index == _base.Index ? _base.Epoch : index == 0 ? 0 : -1;

    /// <summary>
    /// Is <paramref name="position"/> an entry of our log? After the base, our entries are all of our epoch. At or before it,
    /// the authority's: an entry of the base's epoch was created by that epoch's owner at that index, and the authority holds
    /// that owner's log up to the base, so it is the same entry. Older epochs before the base are not known here.
    /// </summary>
    private bool InOurLog(LogPosition position)
    {
        if (position.Index == 0)
        {
            return position.Epoch == 0;
        }

        if (position.Index > _lastIndex)
        {
            return false;
        }

        return position.Index > _base.Index ? position.Epoch == _epoch : position.Epoch == _base.Epoch;
    }
}
