using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Luns;

namespace IscsiCluster.Node.Targets;

/// <summary>What a target actor serves: its definition, the accounts it names resolved to secrets, and its LUN actors.</summary>
/// <param name="Definition">The target as configured.</param>
/// <param name="IncomingAccounts">The bound incoming accounts with their secrets (CHAP the initiator must pass).</param>
/// <param name="OutgoingAccount">The bound outgoing account with its secret (mutual CHAP), or null.</param>
/// <param name="Luns">Every LUN actor to run, LUN 0 included.</param>
public sealed record TargetRuntime(
    TargetDefinition Definition,
    IReadOnlyList<ChapAccount> IncomingAccounts,
    ChapAccount? OutgoingAccount,
    IReadOnlyDictionary<ulong, LunSpec> Luns)
{
    /// <summary>Keeps secrets out of string renderings.</summary>
    public override string ToString() => $"TargetRuntime {{ Tid = {Definition.Tid}, Name = {Definition.Name}, Luns = {Luns.Count} }}";
}
