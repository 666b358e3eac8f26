using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>
/// Catch-up, driven from the owner (REPLICATION.md "Catching up"): ask the lagging replica to describe its log's end, have an
/// in-sync source plan against it and send chunks one at a time, each asked for once the previous is staged, until the target
/// installs. A replica counts again only once installed and streaming. Everything is retried on ticks and restarted, from
/// another source if needed, when it stalls.
/// </summary>
public sealed partial class OwnerCore
{
    private long _nextSession;

    private void MarkNeedsCatchUp(Peer peer, TimeSpan now)
    {
        if (peer.Mode == PeerMode.CatchingUp)
        {
            Send(peer.Source, new CatchUpEnd(_epoch, peer.Session));
        }

        peer.Mode = PeerMode.NeedsCatchUp;
        peer.MatchIndex = -1;
        peer.SyncedIndex = -1;
        peer.NextCatchUpAt = now;
        peer.BytesLeft = -1;
    }

    private void StartCatchUps(TimeSpan now)
    {
        foreach (var peer in _peers)
        {
            if (peer.Mode == PeerMode.NeedsCatchUp && now >= peer.NextCatchUpAt)
            {
                peer.Session = ++_nextSession;
                peer.Mode = PeerMode.Describing;
                peer.Description = null;
                peer.SessionRequestAt = now;
                peer.SessionProgressAt = now;
                Send(peer.Id, new DescribeLog(_epoch, _self, peer.Session));
            }
        }
    }

    /// <summary>The target described its log: stream to it if the window covers it, else start a session at the best source.</summary>
    private void OnDescription(Peer peer, LogDescription description, TimeSpan now)
    {
        if (description.Epoch != _epoch || peer.Mode != PeerMode.Describing || description.Session != peer.Session)
        {
            return;
        }

        MarkHeard(peer, now);
        peer.Description = description;
        peer.ReportedIndex = description.Last.Index;
        if (InOurLog(description.Last) && description.Last.Index + 1 >= WindowStart)
        {
            Follow(peer, description.Last.Index, -1, now);
            peer.NextIndex = description.Last.Index + 1;
            AdvanceCommit();
            Pump(peer, now);
            return;
        }

        var source = ChooseSource(peer);
        if (source is null)
        {
            Retry(peer, now);
            return;
        }

        peer.Source = source.Id;
        peer.NextChunk = 0;
        peer.ChunkCount = 0;
        peer.BytesLeft = -1;
        peer.Mode = PeerMode.CatchingUp;
        peer.SessionRequestAt = now;
        peer.SessionProgressAt = now;
        Send(source.Id, new CatchUpStart(_epoch, _self, peer.Session, peer.Id, description));
    }

    /// <summary>
    /// The source: a streaming replica other than the target, the furthest along our log; our own replica on a tie, as it is
    /// local and always in sync once we serve.
    /// </summary>
    private Peer? ChooseSource(Peer target) =>
        _peers
            .Where(p => p != target && p.Mode == PeerMode.Streaming && p.MatchIndex >= 0 && !p.Absent)
            .OrderByDescending(p => p.MatchIndex)
            .ThenBy(p => p.Id == _self ? 0 : 1)
            .ThenBy(p => p.Id)
            .FirstOrDefault();

    private void OnChunkAck(Peer peer, CatchUpChunkAck ack, TimeSpan now)
    {
        if (ack.Epoch != _epoch || peer.Mode != PeerMode.CatchingUp || ack.Session != peer.Session)
        {
            return;
        }

        MarkHeard(peer, now);
        if (ack.Installed)
        {
            Send(peer.Source, new CatchUpEnd(_epoch, peer.Session));
            if (!InOurLog(ack.Position))
            {
                Retry(peer, now);
                return;
            }

            // The install was synced: synced up to where it now ends.
            peer.Description = null;
            Follow(peer, ack.Position.Index, ack.Position.Index, now);
            peer.NextIndex = ack.Position.Index + 1;
            AdvanceCommit();
            Pump(peer, now);
            return;
        }

        if (ack.Chunk != peer.NextChunk || ack.Chunk + 1 >= ack.ChunkCount)
        {
            return;
        }

        peer.NextChunk = ack.Chunk + 1;
        peer.ChunkCount = ack.ChunkCount;
        peer.BytesLeft = ack.BytesAfter;
        peer.SessionProgressAt = now;
        peer.SessionRequestAt = now;
        Send(peer.Source, new CatchUpContinue(_epoch, _self, peer.Session, peer.NextChunk));
    }

    private void OnCatchUpFailed(CatchUpFailed failed, TimeSpan now)
    {
        if (failed.Epoch != _epoch)
        {
            return;
        }

        foreach (var peer in _peers)
        {
            if (peer.Session == failed.Session && peer.Mode is PeerMode.Describing or PeerMode.CatchingUp)
            {
                AbandonSession(peer);
                Retry(peer, now);
            }
        }
    }

    private void TickCatchUps(TimeSpan now)
    {
        foreach (var peer in _peers)
        {
            if (peer.Mode is not (PeerMode.Describing or PeerMode.CatchingUp))
            {
                continue;
            }

            var sourceLost = peer.Mode == PeerMode.CatchingUp
                && (!_peersById.TryGetValue(peer.Source, out var source) || source.Mode != PeerMode.Streaming || source.Absent);
            if (sourceLost || now - peer.SessionProgressAt >= _settings.CatchUpStallTimeout)
            {
                AbandonSession(peer);
                Retry(peer, now);
                continue;
            }

            if (now - peer.SessionRequestAt < _settings.RetryInterval)
            {
                continue;
            }

            peer.SessionRequestAt = now;
            if (peer.Mode == PeerMode.Describing)
            {
                Send(peer.Id, new DescribeLog(_epoch, _self, peer.Session));
            }
            else if (peer.NextChunk == 0)
            {
                Send(peer.Source, new CatchUpStart(_epoch, _self, peer.Session, peer.Id, peer.Description!));
            }
            else
            {
                Send(peer.Source, new CatchUpContinue(_epoch, _self, peer.Session, peer.NextChunk));
            }
        }

        StartCatchUps(now);
    }

    /// <summary>Tells the source to let the session go (its snapshot), if one was started.</summary>
    private void AbandonSession(Peer peer)
    {
        if (peer.Mode == PeerMode.CatchingUp)
        {
            Send(peer.Source, new CatchUpEnd(_epoch, peer.Session));
        }

        peer.Mode = PeerMode.NeedsCatchUp;
    }

    /// <summary>Starts over after a retry interval, with a new session (and possibly another source).</summary>
    private void Retry(Peer peer, TimeSpan now)
    {
        peer.Mode = PeerMode.NeedsCatchUp;
        peer.MatchIndex = -1;
        peer.SyncedIndex = -1;
        peer.NextCatchUpAt = now + _settings.RetryInterval;
    }
}
