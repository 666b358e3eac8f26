namespace IscsiCluster.Admin.Contracts.Model;

/// <summary>One iSCSI target: its name, logical units, ACL and bound CHAP accounts (tgt's target mode).</summary>
/// <param name="Tid">The target id, 1 or more (0 is reserved).</param>
/// <param name="Name">The iSCSI target name (iqn./eui./naa.).</param>
/// <param name="Alias">The TargetAlias reported at login (RFC 7143 13.6), or null.</param>
/// <param name="Luns">Disk LUNs in ascending order; LUN 0 (the controller) is implicit.</param>
/// <param name="InitiatorAddresses">Address ACL entries in the order bound: "ALL", an IP address or a CIDR.</param>
/// <param name="InitiatorNames">Initiator-name ACL entries in the order bound.</param>
/// <param name="IncomingUsers">Accounts an initiator may authenticate as (CHAP), in the order bound.</param>
/// <param name="OutgoingUser">The account the target authenticates itself with (mutual CHAP), or null.</param>
/// <param name="State">Ready, or offline (no new logins).</param>
public sealed record TargetDefinition(
    int Tid,
    string Name,
    string? Alias,
    IReadOnlyList<LunDefinition> Luns,
    IReadOnlyList<string> InitiatorAddresses,
    IReadOnlyList<string> InitiatorNames,
    IReadOnlyList<string> IncomingUsers,
    string? OutgoingUser,
    TargetState State)
{
    /// <summary>A new target as <c>--op new --mode target</c> creates it: no LUN, no ACL (no initiator admitted), ready.</summary>
    public static TargetDefinition Create(int tid, string name) =>
        new(tid, name, null, [], [], [], [], null, TargetState.Ready);

    /// <summary>The disk LUN with this number, or null.</summary>
    public LunDefinition? FindLun(ulong lun) => Luns.FirstOrDefault(l => l.Lun == lun);

    /// <summary>This target with <paramref name="lun"/> added or replaced, keeping LUNs in ascending order.</summary>
    public TargetDefinition WithLun(LunDefinition lun) =>
        this with { Luns = [.. Luns.Where(l => l.Lun != lun.Lun).Append(lun).OrderBy(l => l.Lun)] };

    public bool Equals(TargetDefinition? other) =>
        other is not null
        && Tid == other.Tid
        && Name == other.Name
        && Alias == other.Alias
        && Luns.SequenceEqual(other.Luns)
        && InitiatorAddresses.SequenceEqual(other.InitiatorAddresses)
        && InitiatorNames.SequenceEqual(other.InitiatorNames)
        && IncomingUsers.SequenceEqual(other.IncomingUsers)
        && OutgoingUser == other.OutgoingUser
        && State == other.State;

    public override int GetHashCode() => HashCode.Combine(Tid, Name, Luns.Count, State);
}
