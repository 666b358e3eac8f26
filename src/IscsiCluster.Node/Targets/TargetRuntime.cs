using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Iscsi.Targets;

namespace IscsiCluster.Node.Targets;

/// <summary>What a target actor serves: its definition, the accounts it names resolved to secrets, and its LUNs.</summary>
/// <param name="Definition">The target as configured.</param>
/// <param name="IncomingAccounts">The bound incoming accounts with their secrets (CHAP the initiator must pass).</param>
/// <param name="OutgoingAccount">The bound outgoing account with its secret (mutual CHAP), or null.</param>
/// <param name="Controller">The Props of LUN 0, the target's controller (one per target and node).</param>
/// <param name="Luns">This node's ports of the target's disk LUNs, by LUN number.</param>
public sealed record TargetRuntime(
    TargetDefinition Definition,
    IReadOnlyList<ChapAccount> IncomingAccounts,
    ChapAccount? OutgoingAccount,
    Props Controller,
    IReadOnlyDictionary<ulong, IActorRef> Luns)
{
    /// <summary>Keeps secrets out of string renderings.</summary>
    public override string ToString() => $"TargetRuntime {{ Tid = {Definition.Tid}, Name = {Definition.Name}, Luns = {Luns.Count} }}";
}
