namespace IscsiCluster.Replication.Owner;

/// <summary>How a write or flush ended; the host maps it to a SCSI status.</summary>
public enum CompletionStatus
{
    /// <summary>On a majority including the owner's own replica (synced, for FUA and flushes): GOOD.</summary>
    Succeeded,

    /// <summary>Refused: not serving now (recovering, waiting out a lease, lease lapsed): NOT READY 04/0A; it was not written.</summary>
    NotServing,

    /// <summary>
    /// This owner was fenced by a newer one: the initiator retries on another path. The write may or may not survive (it was
    /// never acknowledged); it survives whole or not at all.
    /// </summary>
    Fenced,

    /// <summary>Not done within the command timeout; same uncertainty as <see cref="Fenced"/>.</summary>
    TimedOut,

    /// <summary>The owner was stopped; same uncertainty as <see cref="Fenced"/>.</summary>
    Stopped,

    /// <summary>The request was malformed (a range outside the LUN, data of the wrong length, no range); nothing was written.</summary>
    Invalid,
}
