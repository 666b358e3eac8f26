namespace IscsiCluster.Replication.Owner;

/// <summary>What an owner can do now, as the host reports it (TEST UNIT READY, ALUA state, status).</summary>
public enum OwnerState
{
    /// <summary>Probing, gathering promises, or bringing a majority to the authority's log and its no-op: not serving (NOT READY 04/0A).</summary>
    Recovering,

    /// <summary>Recovered; waiting out any older owner's lease before serving (REPLICATION.md "Becoming owner", step 5).</summary>
    WaitingLease,

    /// <summary>Serving reads and writes: recovered, older leases run out, and its own lease valid.</summary>
    Serving,

    /// <summary>
    /// Its lease ran out (no majority confirmed its epoch lately: partitioned, or paused): NOT READY until renewed. Pending writes
    /// stay pending; they complete if a majority still takes them.
    /// </summary>
    LeaseLapsed,

    /// <summary>
    /// A newer epoch exists (a replica refused this one), or this owner cannot get a majority of promises for its epoch. It will
    /// never serve again; every pending command failed. The host starts a new owner if the LUN is still meant to live here.
    /// </summary>
    Fenced,

    /// <summary>The host stopped it (the LUN moved away); every pending command failed.</summary>
    Stopped,
}
