using IscsiCluster.Replication.Messages;

namespace IscsiCluster.Replication.Owner;

/// <summary>What the owner knows of one replica, and what it is doing with it.</summary>
internal sealed class Peer(int id)
{
    public int Id { get; } = id;

    public PeerMode Mode { get; set; } = PeerMode.Unknown;

    /// <summary>Highest index known on it and in the owner's log; -1 when unknown. Only a streaming peer's counts.</summary>
    public long MatchIndex { get; set; } = -1;

    /// <summary>Highest index known synced on it (never above <see cref="MatchIndex"/>); -1 when unknown.</summary>
    public long SyncedIndex { get; set; } = -1;

    /// <summary>Next index to send (pipelined ahead of <see cref="MatchIndex"/>).</summary>
    public long NextIndex { get; set; }

    /// <summary>The index of its last entry as it last reported it, in our log or not: for progress.</summary>
    public long ReportedIndex { get; set; } = -1;

    public bool Heard { get; set; }

    public TimeSpan LastHeardAt { get; set; }

    public bool Absent { get; set; }

    public TimeSpan LastSentAt { get; set; }

    public TimeSpan LastProgressAt { get; set; }

    /// <summary>The SentAt of the newest request whose answer was used: an older answer arriving later is stale.</summary>
    public TimeSpan NewestAnswerSentAt { get; set; } = TimeSpan.MinValue;

    /// <summary>The SentAt of the newest request it answered at the owner's epoch: its part in the lease.</summary>
    public TimeSpan LeaseAckSentAt { get; set; } = TimeSpan.MinValue;

    public TimeSpan LastSyncRequestAt { get; set; } = TimeSpan.MinValue;

    /// <summary>Answered the current probe or promise round.</summary>
    public bool AnsweredRound { get; set; }

    public long ResendFrom { get; set; } = -1;

    public TimeSpan ResendAt { get; set; }

    public long Session { get; set; }

    public int Source { get; set; } = -1;

    public int NextChunk { get; set; }

    public int ChunkCount { get; set; }

    public long BytesLeft { get; set; } = -1;

    public LogDescription? Description { get; set; }

    public TimeSpan SessionRequestAt { get; set; }

    public TimeSpan SessionProgressAt { get; set; }

    public TimeSpan NextCatchUpAt { get; set; }

    public bool IsCatchingUp => Mode is PeerMode.NeedsCatchUp or PeerMode.Describing or PeerMode.CatchingUp;
}
