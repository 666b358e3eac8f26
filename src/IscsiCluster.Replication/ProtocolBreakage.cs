namespace IscsiCluster.Replication;

/// <summary>
/// Deliberately broken behaviours, test-only: the simulation turns one on and must then report a violation with a seed, which
/// proves its checks can fail. Production code never sets these (the property is internal).
/// </summary>
[Flags]
internal enum ProtocolBreakage
{
    None = 0,

    /// <summary>The owner acknowledges a write once its own replica has it, without a majority.</summary>
    AcknowledgeOnOwnReplicaOnly = 1,

    /// <summary>A replica appends any entry that extends its index, whatever the epoch of its last entry.</summary>
    SkipPredecessorCheck = 2,

    /// <summary>A new owner serves as soon as its no-op is on a majority, without waiting out older leases.</summary>
    SkipLeaseWait = 4,

    /// <summary>A replica reports appends as synced (FUA, flush, background) without syncing them.</summary>
    ClaimSyncWithoutSyncing = 8,

    /// <summary>The owner tells its replicas it resigned with every heartbeat, while it still serves.</summary>
    ResignWhileServing = 16,

    /// <summary>A replica never records the extent versions of entries leaving its tail, so a restart forgets them.</summary>
    ForgetVersionsLeavingTheTail = 32,
}
