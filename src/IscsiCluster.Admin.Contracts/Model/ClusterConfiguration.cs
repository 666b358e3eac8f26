namespace IscsiCluster.Admin.Contracts.Model;

/// <summary>
/// Everything an administrator configures, stored cluster-wide and re-applied at start (ARCHITECTURE invariant 5).
/// Immutable: every edit returns a new value (see <see cref="Editing.ConfigurationEditor"/>).
/// </summary>
/// <param name="Targets">Targets in ascending tid order.</param>
/// <param name="Accounts">CHAP accounts in the order created.</param>
/// <param name="DiscoveryIncomingUsers">Accounts bound without a tid (tgt's global target): CHAP for discovery sessions.</param>
/// <param name="DiscoveryOutgoingUser">The account the target proves itself with in discovery sessions, or null.</param>
public sealed record ClusterConfiguration(
    IReadOnlyList<TargetDefinition> Targets,
    IReadOnlyList<AccountDefinition> Accounts,
    IReadOnlyList<string> DiscoveryIncomingUsers,
    string? DiscoveryOutgoingUser)
{
    /// <summary>No target, no account: a node that was never configured.</summary>
    public static ClusterConfiguration Empty { get; } = new([], [], [], null);

    public TargetDefinition? FindTarget(int tid) => Targets.FirstOrDefault(t => t.Tid == tid);

    public TargetDefinition? FindTarget(string name) =>
        Targets.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    public AccountDefinition? FindAccount(string user) =>
        Accounts.FirstOrDefault(a => string.Equals(a.User, user, StringComparison.Ordinal));

    /// <summary>This configuration with <paramref name="target"/> added or replaced (by tid), keeping tid order.</summary>
    public ClusterConfiguration WithTarget(TargetDefinition target) =>
        this with { Targets = [.. Targets.Where(t => t.Tid != target.Tid).Append(target).OrderBy(t => t.Tid)] };

    public ClusterConfiguration WithoutTarget(int tid) => this with { Targets = [.. Targets.Where(t => t.Tid != tid)] };

    /// <summary>Records the volume the node created for a LUN (the editor leaves <see cref="LunDefinition.VolumeId"/> null).</summary>
    /// <exception cref="KeyNotFoundException">The target or the LUN does not exist.</exception>
    public ClusterConfiguration WithLunVolumeId(int tid, ulong lun, ulong volumeId)
    {
        var target = FindTarget(tid) ?? throw new KeyNotFoundException($"no target {tid}");
        var unit = target.FindLun(lun) ?? throw new KeyNotFoundException($"no lun {lun} in target {tid}");
        return WithTarget(target.WithLun(unit with { VolumeId = volumeId }));
    }

    /// <summary>The same configuration with every password replaced by an empty string (what show may carry).</summary>
    public ClusterConfiguration WithoutSecrets() =>
        this with { Accounts = [.. Accounts.Select(a => a with { Password = "" })] };

    public bool Equals(ClusterConfiguration? other) =>
        other is not null
        && Targets.SequenceEqual(other.Targets)
        && Accounts.SequenceEqual(other.Accounts)
        && DiscoveryIncomingUsers.SequenceEqual(other.DiscoveryIncomingUsers)
        && DiscoveryOutgoingUser == other.DiscoveryOutgoingUser;

    public override int GetHashCode() => HashCode.Combine(Targets.Count, Accounts.Count, DiscoveryOutgoingUser);
}
