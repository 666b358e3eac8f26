using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>Writing (REPLICATION.md "Writing"): sequencing, pipelined appends, the majority rule, flushes.</summary>
public sealed partial class OwnerCore
{
    /// <summary>Recent entries with their data, contiguous up to the last, to resend to a lagging replica.</summary>
    private readonly List<(LogEntry Entry, bool Fua)> _window = [];
    private readonly SortedDictionary<long, (long Tag, bool Fua, TimeSpan SubmittedAt)> _pendingWrites = [];
    private readonly List<(long Tag, long Index, TimeSpan SubmittedAt)> _pendingFlushes = [];
    private long _windowBytes;

    /// <summary>The authority's last entry: our log up to it is the authority's.</summary>
    private LogPosition _base;
    private long _lastIndex;
    private long _noopIndex;
    private long _commitIndex;
    private long _durableIndex;

    private long WindowStart => _window.Count > 0 ? _window[0].Entry.Index : _lastIndex + 1;

    /// <summary>Replicates one write; see <see cref="Submit(IReadOnlyList{WriteRequest}, TimeSpan)"/>.</summary>
    public OwnerOutput Submit(WriteRequest request, TimeSpan now) => Submit([request], now);

    /// <summary>
    /// Replicates writes, each one log entry, in order. They go to every replica in one Append per replica (group commit), and
    /// each completes when a majority including this owner's own replica holds it, synced for FUA. Refused with
    /// <see cref="CompletionStatus.NotServing"/> unless <see cref="CanRead"/> holds: an owner without a valid lease must not
    /// accept I/O (NOT READY).
    /// </summary>
    public OwnerOutput Submit(IReadOnlyList<WriteRequest> requests, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(requests);
        var first = _lastIndex + 1;
        foreach (var request in requests)
        {
            if (request?.Ranges is null || request.Ranges.Count == 0 || request.Ranges.Any(r => !r.IsValidFor(_settings.SizeBytes)))
            {
                _completions.Add(new Completion(request?.Tag ?? 0, CompletionStatus.Invalid, 0));
                continue;
            }

            if (!LeaseValidAt(now))
            {
                _completions.Add(new Completion(request.Tag, _fenced ? CompletionStatus.Fenced : CompletionStatus.NotServing, 0));
                continue;
            }

            var entry = new LogEntry(_lastIndex + 1, _epoch, request.Ranges.ToArray());
            AppendToLog(entry, request.Fua);
            _pendingWrites[entry.Index] = (request.Tag, request.Fua, now);
            _assigned.Add(new WriteAssignment(request.Tag, entry.Position));
        }

        if (_lastIndex >= first)
        {
            foreach (var peer in _peers)
            {
                Pump(peer, now);
            }
        }

        return Output(now);
    }

    /// <summary>
    /// SYNCHRONIZE CACHE: completes once every write acknowledged so far is synced on a majority including this owner's own
    /// replica.
    /// </summary>
    public OwnerOutput Flush(long tag, TimeSpan now)
    {
        if (!LeaseValidAt(now))
        {
            _completions.Add(new Completion(tag, _fenced ? CompletionStatus.Fenced : CompletionStatus.NotServing, 0));
            return Output(now);
        }

        if (_durableIndex >= _commitIndex)
        {
            _completions.Add(new Completion(tag, CompletionStatus.Succeeded, _commitIndex));
            return Output(now);
        }

        _pendingFlushes.Add((tag, _commitIndex, now));
        RequestSyncs(now, force: true);
        return Output(now);
    }

    private void AppendToLog(LogEntry entry, bool fua)
    {
        _window.Add((entry, fua));
        _windowBytes += entry.DataBytes;
        _lastIndex = entry.Index;
    }

    /// <summary>Sends a peer what it is due from the window, up to the pipeline depth; a peer the window no longer covers needs catch-up.</summary>
    private void Pump(Peer peer, TimeSpan now)
    {
        if (peer.Mode is not (PeerMode.Streaming or PeerMode.Unknown))
        {
            return;
        }

        while (peer.NextIndex <= _lastIndex)
        {
            if (peer.NextIndex < WindowStart)
            {
                if (peer.Mode == PeerMode.Streaming)
                {
                    MarkNeedsCatchUp(peer, now);
                    StartCatchUps(now);
                }

                return;
            }

            if (peer.NextIndex - 1 - Math.Max(peer.MatchIndex, _base.Index) >= _settings.MaxEntriesInFlight)
            {
                return;
            }

            SendAppend(peer, peer.NextIndex, now);
        }
    }

    private void SendAppend(Peer peer, long from, TimeSpan now)
    {
        var start = WindowStart;
        var to = Math.Min(_lastIndex, from + _settings.MaxEntriesPerAppend - 1);
        var entries = new LogEntry[to - from + 1];
        var sync = false;
        for (var i = 0; i < entries.Length; i++)
        {
            var (entry, fua) = _window[(int)(from + i - start)];
            entries[i] = entry;
            sync |= fua && entry.Index > _durableIndex;
        }

        var previous = new LogPosition(from - 1, EpochAt(from - 1));
        Send(peer.Id, new Append(_epoch, _self, previous, entries, _durableIndex, sync, now));
        peer.NextIndex = to + 1;
        peer.LastSentAt = now;
    }

    /// <summary>An answer at our epoch: it renews the lease and tells where the replica's log ends.</summary>
    private void OnAccepted(Peer peer, Accepted accepted, TimeSpan now)
    {
        if (accepted.Epoch != _epoch || _phase < Phase.Recovering)
        {
            return;
        }

        MarkHeard(peer, now);
        ConfirmLease(peer, accepted.SentAt, now);
        if (accepted.SentAt < peer.NewestAnswerSentAt)
        {
            return;
        }

        peer.NewestAnswerSentAt = accepted.SentAt;
        peer.ReportedIndex = accepted.Last.Index;
        if (!InOurLog(accepted.Last))
        {
            // Its log holds an entry ours does not: divergent. It must not count, and must be caught up.
            if (peer.Mode is PeerMode.Streaming or PeerMode.Unknown)
            {
                MarkNeedsCatchUp(peer, now);
                StartCatchUps(now);
            }

            return;
        }

        if (peer.IsCatchingUp)
        {
            if (accepted.Last.Index + 1 < WindowStart)
            {
                return;
            }

            // It got back onto our log by itself (a delayed append matched): abandon the catch-up and stream.
            AbandonSession(peer);
        }

        Follow(peer, accepted.Last.Index, Math.Min(accepted.Synced, accepted.Last.Index), now);
        AdvanceCommit();
        Pump(peer, now);
    }

    /// <summary>
    /// A refused append: the replica's log does not end at the predecessor we named. When its end is in our log and within the
    /// window, resend from there (once per retry interval, however many pipelined appends it refused); otherwise catch it up.
    /// </summary>
    private void OnMismatch(Peer peer, LogMismatch mismatch, TimeSpan now)
    {
        if (mismatch.Epoch != _epoch || _phase < Phase.Recovering)
        {
            return;
        }

        MarkHeard(peer, now);
        ConfirmLease(peer, mismatch.SentAt, now);
        if (mismatch.SentAt < peer.NewestAnswerSentAt)
        {
            return;
        }

        peer.NewestAnswerSentAt = mismatch.SentAt;
        peer.ReportedIndex = mismatch.Last.Index;
        var last = mismatch.Last;
        if (InOurLog(last) && last.Index + 1 >= WindowStart)
        {
            if (peer.IsCatchingUp)
            {
                AbandonSession(peer);
            }

            var again = peer.ResendFrom == last.Index + 1 && now - peer.ResendAt < _settings.RetryInterval;
            Follow(peer, last.Index, Math.Min(peer.SyncedIndex, last.Index), now);
            if (!again)
            {
                peer.NextIndex = last.Index + 1;
                peer.ResendFrom = last.Index + 1;
                peer.ResendAt = now;
            }

            Pump(peer, now);
        }
        else if (peer.Mode is PeerMode.Streaming or PeerMode.Unknown)
        {
            MarkNeedsCatchUp(peer, now);
            StartCatchUps(now);
        }
    }

    /// <summary>The peer's log is ours up to <paramref name="matchIndex"/>: it streams, and counts toward majorities.</summary>
    private void Follow(Peer peer, long matchIndex, long syncedIndex, TimeSpan now)
    {
        if (peer.Mode != PeerMode.Streaming || matchIndex > peer.MatchIndex)
        {
            peer.LastProgressAt = now;
        }

        peer.Mode = PeerMode.Streaming;
        peer.MatchIndex = matchIndex;
        peer.ReportedIndex = Math.Max(peer.ReportedIndex, matchIndex);
        peer.SyncedIndex = syncedIndex;
        if (peer.NextIndex <= matchIndex)
        {
            peer.NextIndex = matchIndex + 1;
        }
    }

    /// <summary>
    /// Moves the commit and durable indexes: the highest index held (synced) by a majority of streaming replicas that includes
    /// this owner's own, so that its local reads see every acknowledged write. Only indexes from our no-op on count: an older
    /// epoch's entry on a majority may still be replaced until an entry of ours is (Raft's rule), and our no-op is the first.
    /// </summary>
    private void AdvanceCommit()
    {
        var own = Own;
        if (own.Mode != PeerMode.Streaming)
        {
            return;
        }

        var onlyOwn = (_settings.Breakage & ProtocolBreakage.AcknowledgeOnOwnReplicaOnly) != 0;
        var commit = onlyOwn ? own.MatchIndex : Math.Min(own.MatchIndex, MajorityValue(p => p.MatchIndex));
        var durable = onlyOwn ? own.SyncedIndex : Math.Min(own.SyncedIndex, MajorityValue(p => p.SyncedIndex));
        if (commit >= _noopIndex && commit > _commitIndex)
        {
            _commitIndex = commit;
        }

        if (durable >= _noopIndex && durable > _durableIndex)
        {
            _durableIndex = Math.Min(durable, _commitIndex);
        }

        if (_phase == Phase.Recovering && _commitIndex >= _noopIndex)
        {
            _phase = Phase.Recovered;
        }

        CompleteWrites();
        TrimWindow();
    }

    /// <summary>The value a majority of streaming replicas reaches (-1 when fewer than a majority stream).</summary>
    private long MajorityValue(Func<Peer, long> value)
    {
        var values = _peers.Where(p => p.Mode == PeerMode.Streaming).Select(value).OrderDescending().ToArray();
        return values.Length >= _settings.Majority ? values[_settings.Majority - 1] : -1;
    }

    private void CompleteWrites()
    {
        List<long>? done = null;
        foreach (var (index, write) in _pendingWrites)
        {
            if (index > _commitIndex)
            {
                break;
            }

            if (!write.Fua || index <= _durableIndex)
            {
                _completions.Add(new Completion(write.Tag, CompletionStatus.Succeeded, index));
                (done ??= []).Add(index);
            }
        }

        foreach (var index in done ?? [])
        {
            _pendingWrites.Remove(index);
        }

        for (var i = _pendingFlushes.Count - 1; i >= 0; i--)
        {
            if (_pendingFlushes[i].Index <= _durableIndex)
            {
                _completions.Add(new Completion(_pendingFlushes[i].Tag, CompletionStatus.Succeeded, _pendingFlushes[i].Index));
                _pendingFlushes.RemoveAt(i);
            }
        }
    }

    /// <summary>Drops committed entries beyond the window's bounds; a replica that still needs them gets a catch-up instead.</summary>
    private void TrimWindow()
    {
        var drop = 0;
        var bytes = _windowBytes;
        while (drop < _window.Count && _window[drop].Entry.Index <= _commitIndex
               && (_window.Count - drop > _settings.WindowEntries || bytes > _settings.WindowBytes))
        {
            bytes -= _window[drop].Entry.DataBytes;
            drop++;
        }

        if (drop > 0)
        {
            _window.RemoveRange(0, drop);
            _windowBytes = bytes;
        }
    }

    /// <summary>Asks streaming replicas not yet synced far enough to sync, for pending flushes and FUA writes.</summary>
    private void RequestSyncs(TimeSpan now, bool force)
    {
        var needed = _pendingFlushes.Count > 0 ? _pendingFlushes.Max(f => f.Index) : 0;
        foreach (var (index, write) in _pendingWrites)
        {
            if (write.Fua && index <= _commitIndex)
            {
                needed = Math.Max(needed, index);
            }
        }

        if (needed <= _durableIndex)
        {
            return;
        }

        foreach (var peer in _peers)
        {
            if (peer.Mode == PeerMode.Streaming && peer.SyncedIndex < needed && peer.MatchIndex >= needed
                && (force || Due(peer.LastSyncRequestAt, now, _settings.RetryInterval)))
            {
                Send(peer.Id, new SyncRequest(_epoch, _self, now));
                peer.LastSyncRequestAt = now;
            }
        }
    }

    private void FailPending(CompletionStatus status)
    {
        foreach (var (index, write) in _pendingWrites)
        {
            _completions.Add(new Completion(write.Tag, status, index));
        }

        foreach (var flush in _pendingFlushes)
        {
            _completions.Add(new Completion(flush.Tag, status, flush.Index));
        }

        _pendingWrites.Clear();
        _pendingFlushes.Clear();
    }
}
