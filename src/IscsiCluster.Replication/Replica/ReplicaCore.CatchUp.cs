using IscsiCluster.Replication.CatchUp;
using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Messages;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Replica;

/// <summary>
/// Catch-up (REPLICATION.md "Catching up"), both roles: as source, plan from a consistent snapshot and send chunks when the
/// owner asks; as target, stage chunks and install them with the new position in one atomic write.
/// </summary>
public sealed partial class ReplicaCore
{
    private readonly Dictionary<(long Epoch, long Session), SourceSession> _sessions = [];
    private Staging? _staging;
    private (long Epoch, long Session, int Chunk, int ChunkCount, LogPosition Position)? _installed;

    /// <summary>Describes the end of this log: its entries after the committed index and the extents they changed.</summary>
    private void HandleDescribe(int from, DescribeLog describe, TimeSpan now)
    {
        if (!AcceptEpoch(describe.Epoch, describe.Owner, from, now))
        {
            return;
        }

        var tail = _tail.Where(e => e.Index > _committed).ToArray();
        var modified = _versions.Where(v => v.Value > _committed).Select(v => v.Key).Order().ToArray();
        Send(from, new LogDescription(describe.Epoch, describe.Session, _last, _committed, tail, modified));
    }

    /// <summary>
    /// As source: plan against the target's description from a snapshot of this replica, keep both for the session, send chunk
    /// 0 to the target. A source must have promised exactly the owner's epoch: only then is its log a prefix of the owner's.
    /// </summary>
    private void HandleCatchUpStart(int from, CatchUpStart start, TimeSpan now)
    {
        if (start.Epoch < _promised)
        {
            Send(from, new StaleEpoch(start.Epoch, _promised));
            return;
        }

        if (start.Epoch > _promised || start.Description is null || start.Target == _self)
        {
            Send(from, new CatchUpFailed(start.Epoch, start.Session, CatchUpFailure.NotSource));
            return;
        }

        var key = (start.Epoch, start.Session);
        if (!_sessions.TryGetValue(key, out var session))
        {
            var source = new SourceLog(_last, _committed, _tail.ToArray(), new Dictionary<long, long>(_versions));
            var plan = CatchUpPlanner.Plan(source, start.Description, _geometry, _settings.CatchUpChunkBytes, out var failure);
            if (plan is null)
            {
                Send(from, new CatchUpFailed(start.Epoch, start.Session, failure));
                return;
            }

            // One session per target: a newer one replaces the older.
            foreach (var stale in _sessions.Where(s => s.Value.Target == start.Target).Select(s => s.Key).ToArray())
            {
                EndSession(stale.Epoch, stale.Session);
            }

            session = new SourceSession(start.Owner, start.Target, plan, _store.OpenSnapshot(), _committed, start.Description.Last);
            _sessions[key] = session;
        }

        session.LastUsed = now;
        SendChunk(start.Epoch, start.Session, session, 0);
    }

    private void HandleCatchUpContinue(int from, CatchUpContinue next, TimeSpan now)
    {
        if (next.Epoch < _promised)
        {
            Send(from, new StaleEpoch(next.Epoch, _promised));
            return;
        }

        if (!_sessions.TryGetValue((next.Epoch, next.Session), out var session) || next.Chunk < 0
            || next.Chunk >= session.Plan.Chunks.Count)
        {
            Send(from, new CatchUpFailed(next.Epoch, next.Session, CatchUpFailure.UnknownSession));
            return;
        }

        session.LastUsed = now;
        SendChunk(next.Epoch, next.Session, session, next.Chunk);
    }

    private void SendChunk(long epoch, long sessionId, SourceSession session, int chunk)
    {
        var plan = session.Plan;
        var ranges = plan.Chunks[chunk];
        var blocks = new WriteRange[ranges.Count];
        for (var i = 0; i < blocks.Length; i++)
        {
            var data = session.Snapshot.Read(ranges[i]);
            // Unwritten or zeroed blocks travel without bytes.
            blocks[i] = data.Span.ContainsAnyExcept((byte)0)
                ? new WriteRange(ranges[i].Offset, ranges[i].Length, data)
                : WriteRange.Zero(ranges[i].Offset, ranges[i].Length);
        }

        long after = 0;
        for (var i = chunk + 1; i < plan.Chunks.Count; i++)
        {
            after += plan.Chunks[i].Sum(r => (long)r.Length);
        }

        var position = session.Snapshot.Position;
        var final = chunk == plan.Chunks.Count - 1
            ? new CatchUpFinal(position, Math.Min(session.Committed, position.Index), plan.Method, plan.SharedIndex, plan.Tail, plan.Versions)
            : null;
        Send(session.Target, new CatchUpChunk(
            epoch, session.Owner, sessionId, chunk, plan.Chunks.Count, position, after, blocks, session.ExpectedTargetLast, final));
    }

    private void EndSession(long epoch, long sessionId)
    {
        if (_sessions.Remove((epoch, sessionId), out var session))
        {
            session.Snapshot.Dispose();
        }
    }

    private void ForgetIdleSessions(TimeSpan now)
    {
        foreach (var (key, session) in _sessions.ToArray())
        {
            if (now - session.LastUsed >= _settings.CatchUpSessionIdleTimeout)
            {
                EndSession(key.Epoch, key.Session);
            }
        }

        if (_staging is { } staging && now - staging.LastUsed >= _settings.CatchUpSessionIdleTimeout)
        {
            _store.DiscardCatchUp();
            _staging = null;
        }
    }

    /// <summary>
    /// As target: stage chunks in order; with the last, install everything at the snapshot position in one atomic write, but
    /// only if this log still ends where the plan assumed. Until then the replica's log is unchanged, so a crash in the middle
    /// leaves it as it was (REPLICATION.md "Catching up": it counts only once contiguous again).
    /// </summary>
    private void HandleChunk(CatchUpChunk chunk, TimeSpan now)
    {
        var owner = chunk.Owner;
        if (!AcceptEpoch(chunk.Epoch, owner, owner, now))
        {
            return;
        }

        var key = (chunk.Epoch, chunk.Session);
        if (_installed is { } done && (done.Epoch, done.Session) == key)
        {
            Send(owner, new CatchUpChunkAck(chunk.Epoch, chunk.Session, done.Chunk, done.ChunkCount, 0, true, done.Position));
            return;
        }

        if (_staging is null || (_staging.Epoch, _staging.Session) != key || _staging.Snapshot != chunk.Snapshot)
        {
            if (chunk.Chunk != 0)
            {
                Send(owner, new CatchUpFailed(chunk.Epoch, chunk.Session, CatchUpFailure.UnknownSession));
                return;
            }

            _store.DiscardCatchUp();
            _staging = new Staging(chunk.Epoch, chunk.Session, chunk.Snapshot);
        }

        var staging = _staging;
        staging.LastUsed = now;
        if (chunk.Chunk < staging.Next)
        {
            Send(owner, new CatchUpChunkAck(chunk.Epoch, chunk.Session, chunk.Chunk, chunk.ChunkCount, chunk.BytesAfter, false, _last));
            return;
        }

        if (chunk.Chunk > staging.Next || chunk.Blocks is null || chunk.Blocks.Any(b => !b.IsValidFor(_settings.SizeBytes)))
        {
            // A chunk was lost on the way: the owner asks the source again for the one we expect.
            return;
        }

        if (chunk.Chunk < chunk.ChunkCount - 1)
        {
            _store.StageCatchUp(chunk.Session, chunk.Blocks);
            staging.Next++;
            Send(owner, new CatchUpChunkAck(chunk.Epoch, chunk.Session, chunk.Chunk, chunk.ChunkCount, chunk.BytesAfter, false, _last));
            return;
        }

        if (chunk.Final is not { } final || _last != chunk.ExpectedTargetLast)
        {
            _store.DiscardCatchUp();
            _staging = null;
            Send(owner, new CatchUpFailed(chunk.Epoch, chunk.Session, CatchUpFailure.TargetChanged));
            return;
        }

        Install(chunk, final, now);
        Send(owner, new CatchUpChunkAck(chunk.Epoch, chunk.Session, chunk.Chunk, chunk.ChunkCount, 0, true, _last));
    }

    private void Install(CatchUpChunk chunk, CatchUpFinal final, TimeSpan now)
    {
        var tail = final.Method == CatchUpMethod.Tail
            ? _tail.Where(e => e.Index <= final.SharedIndex).Concat(final.Tail).ToList()
            : final.Tail.ToList();
        if (tail.Count > _settings.TailEntries)
        {
            tail.RemoveRange(0, tail.Count - _settings.TailEntries);
        }

        var committed = Math.Max(Math.Min(_committed, final.Position.Index), final.Committed);
        var replaced = _tail.ToArray();
        _tail.Clear();
        _tail.AddRange(tail);
        foreach (var version in final.ExtentVersions)
        {
            _versions[version.Extent] = version.Version;
        }

        foreach (var entry in tail)
        {
            RaiseVersions(entry);
        }

        // The tail being replaced described the latest changes of some extents: their versions are recorded now.
        var recorded = VersionsOf(final.ExtentVersions.Select(v => v.Extent).Concat(ExtentsOf(replaced)));
        _store.InstallCatchUp(new CatchUpInstall(chunk.Session, chunk.Blocks, final.Position, committed, tail, recorded, Sync: true));
        _last = final.Position;
        _committed = committed;
        MarkSynced(now);
        _staging = null;
        _installed = (chunk.Epoch, chunk.Session, chunk.Chunk, chunk.ChunkCount, final.Position);
    }

    /// <summary>A catch-up this replica serves as source: the plan, and the snapshot every chunk is read from.</summary>
    private sealed class SourceSession(int owner, int target, CatchUpPlan plan, IReplicaSnapshot snapshot, long committed, LogPosition expectedTargetLast)
    {
        public int Owner { get; } = owner;

        public int Target { get; } = target;

        public CatchUpPlan Plan { get; } = plan;

        public IReplicaSnapshot Snapshot { get; } = snapshot;

        public long Committed { get; } = committed;

        public LogPosition ExpectedTargetLast { get; } = expectedTargetLast;

        public TimeSpan LastUsed { get; set; }
    }

    /// <summary>The catch-up this replica is receiving as target.</summary>
    private sealed class Staging(long epoch, long session, LogPosition snapshot)
    {
        public long Epoch { get; } = epoch;

        public long Session { get; } = session;

        public LogPosition Snapshot { get; } = snapshot;

        public int Next { get; set; }

        public TimeSpan LastUsed { get; set; }
    }
}
