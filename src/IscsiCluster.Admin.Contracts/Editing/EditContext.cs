namespace IscsiCluster.Admin.Contracts.Editing;

/// <summary>The live facts an edit depends on, which only the node knows; the editor itself stays pure.</summary>
/// <param name="TargetsWithSessions">Tids that have at least one session (a target delete without --force is refused for them).</param>
/// <param name="BackingStoreSizeBytes">For <c>logicalunit new -b PATH</c>: the size the node measured for PATH, or null when it could not open it.</param>
public sealed record EditContext(IReadOnlySet<int> TargetsWithSessions, long? BackingStoreSizeBytes = null)
{
    /// <summary>Whether a new account's secret shorter than 12 characters is refused (else the command line only warns).</summary>
    public bool RefuseShortSecrets { get; init; }

    /// <summary>No session anywhere and no backing store measured.</summary>
    public static EditContext Idle { get; } = new(new HashSet<int>());
}
