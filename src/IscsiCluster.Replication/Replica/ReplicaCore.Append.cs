using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Replica;

/// <summary>Appends, heartbeats and syncs, gathered into one store write per batch of messages (group commit).</summary>
public sealed partial class ReplicaCore
{
    private readonly List<LogEntry> _pendingEntries = [];
    private readonly List<(int To, long Epoch, TimeSpan SentAt)> _pendingAnswers = [];
    private bool _pendingSync;
    private bool _pendingCommitted;

    /// <summary>
    /// REPLICATION.md "Writing": accept only the owner's epoch, and only entries that follow this log's last entry exactly
    /// (same index and same epoch). Entries it already holds (a duplicate or a resend) are acknowledged again; anything else
    /// is a mismatch, answered with this log's end so that the owner resends or starts a catch-up.
    /// </summary>
    private void HandleAppend(int from, Append append, TimeSpan now)
    {
        if (!AcceptEpoch(append.Epoch, append.Owner, from, now))
        {
            return;
        }

        _lastLeaseAckAt = now;
        var entries = append.Entries;
        if (!IsWellFormed(append))
        {
            return;
        }

        var first = entries[0];
        var lastEntry = entries[^1];
        int skip;
        if ((_settings.Breakage & ProtocolBreakage.SkipPredecessorCheck) != 0 && first.Index == _last.Index + 1)
        {
            skip = 0;
        }
        else if (append.Previous == _last)
        {
            skip = 0;
        }
        else if (_last.Index > append.Previous.Index && _last.Index <= lastEntry.Index
                 && entries[(int)(_last.Index - first.Index)].Epoch == _last.Epoch)
        {
            // The entries up to our last are ours already (a resend overlapping what arrived): append the rest.
            skip = (int)(_last.Index - first.Index) + 1;
        }
        else if (_last.Index > lastEntry.Index && EpochAt(lastEntry.Index) == lastEntry.Epoch)
        {
            // All held already (a duplicate, or delayed behind later appends).
            skip = entries.Count;
        }
        else
        {
            // Answers keep the order of the requests: the batch so far goes first.
            FlushPending(now);
            Send(from, new LogMismatch(append.Epoch, _last, _committed, append.SentAt));
            return;
        }

        for (var i = skip; i < entries.Count; i++)
        {
            Apply(entries[i]);
        }

        // Through lastEntry this log is the owner's (log matching), so the owner's committed index holds here too.
        var committed = Math.Min(append.Committed, lastEntry.Index);
        if (committed > _committed)
        {
            _committed = committed;
            _pendingCommitted = true;
        }

        _pendingSync |= append.Sync;
        _pendingAnswers.Add((from, append.Epoch, append.SentAt));
    }

    /// <summary>
    /// Renews the owner's lease and reports this log's end; records the owner's committed index when this log holds that very
    /// entry (same index, same epoch), which proves it shares the owner's log up to there.
    /// </summary>
    private void HandleHeartbeat(int from, Heartbeat heartbeat, TimeSpan now)
    {
        if (!AcceptEpoch(heartbeat.Epoch, heartbeat.Owner, from, now))
        {
            return;
        }

        _lastLeaseAckAt = now;
        if (heartbeat.Committed.Index > _committed && heartbeat.Committed.Index <= _last.Index
            && EpochAt(heartbeat.Committed.Index) == heartbeat.Committed.Epoch)
        {
            _committed = heartbeat.Committed.Index;
            _pendingCommitted = true;
        }

        _pendingAnswers.Add((from, heartbeat.Epoch, heartbeat.SentAt));
    }

    /// <summary>SYNCHRONIZE CACHE: sync everything appended, then answer with the synced index.</summary>
    private void HandleSync(int from, SyncRequest sync, TimeSpan now)
    {
        if (!AcceptEpoch(sync.Epoch, sync.Owner, from, now))
        {
            return;
        }

        _lastLeaseAckAt = now;
        _pendingSync = true;
        _pendingAnswers.Add((from, sync.Epoch, sync.SentAt));
    }

    private bool IsWellFormed(Append append)
    {
        var entries = append.Entries;
        if (entries is null || entries.Count == 0 || entries[0].Index != append.Previous.Index + 1)
        {
            return false;
        }

        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry.Index != append.Previous.Index + 1 + i || entry.Epoch != append.Epoch || entry.Ranges is null)
            {
                return false;
            }

            foreach (var range in entry.Ranges)
            {
                if (!range.IsValidFor(_settings.SizeBytes))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Applies an entry to the in-memory view; the store gets it with the rest of the batch.</summary>
    private void Apply(LogEntry entry)
    {
        _pendingEntries.Add(entry);
        var metadata = entry.ToMetadata();
        _tail.Add(metadata);
        RaiseVersions(metadata);
        _last = entry.Position;
    }

    /// <summary>Writes the gathered batch in one atomic store write, then lets its answers go.</summary>
    private void FlushPending(TimeSpan now)
    {
        if (_pendingEntries.Count > 0 || _pendingCommitted || _pendingSync)
        {
            var excess = _tail.Count - _settings.TailEntries;
            var versions = excess > 0 ? VersionsLeavingTheTail(excess) : [];
            if (excess > 0)
            {
                _tail.RemoveRange(0, excess);
            }

            var tailStart = _tail.Count > 0 ? _tail[0].Index : _last.Index + 1;
            var sync = _pendingSync && (_settings.Breakage & ProtocolBreakage.ClaimSyncWithoutSyncing) == 0;
            if (_pendingEntries.Count > 0 || _pendingCommitted)
            {
                _store.Append(new AppendBatch(_pendingEntries.ToArray(), _last, _committed, tailStart, versions, sync));
            }
            else if (sync)
            {
                _store.Sync();
            }

            if (_pendingSync)
            {
                MarkSynced(now);
            }
            else if (_pendingEntries.Count > 0)
            {
                _unsynced = true;
            }

            _pendingEntries.Clear();
            _pendingSync = false;
            _pendingCommitted = false;
        }

        foreach (var (to, epoch, sentAt) in _pendingAnswers)
        {
            _out.Add(new Outgoing(to, new Accepted(epoch, _last, _synced, sentAt)));
        }

        _pendingAnswers.Clear();
    }
}
