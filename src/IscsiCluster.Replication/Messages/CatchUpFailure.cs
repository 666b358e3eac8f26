namespace IscsiCluster.Replication.Messages;

/// <summary>Why a catch-up session stopped; the owner starts a new one.</summary>
public enum CatchUpFailure
{
    /// <summary>The source or target does not know the session (it restarted, or timed the session out).</summary>
    UnknownSession,

    /// <summary>The source has not promised the owner's epoch, so its log may not be the owner's.</summary>
    NotSource,

    /// <summary>The source's log ends before what the target is known to share; another source, or later.</summary>
    SourceBehind,

    /// <summary>The target's log changed since it was described, so the plan no longer fits it.</summary>
    TargetChanged,
}
