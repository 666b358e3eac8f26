namespace IscsiCluster.Replication.Owner;

/// <summary>The owner's dealings with one replica.</summary>
internal enum PeerMode
{
    /// <summary>Not yet known to follow the owner's log; sent appends optimistically, never counted.</summary>
    Unknown,

    /// <summary>Follows the owner's log up to its match index; receives appends; counts toward majorities.</summary>
    Streaming,

    /// <summary>Its log does not follow the owner's window: a catch-up must start.</summary>
    NeedsCatchUp,

    /// <summary>Asked to describe its log's end.</summary>
    Describing,

    /// <summary>Receiving chunks from a source.</summary>
    CatchingUp,
}
