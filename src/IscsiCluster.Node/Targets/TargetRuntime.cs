using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Node.Targets;

/// <summary>What a target's port on this node serves: the target's definition, its controller, and this node's ports of its LUNs.</summary>
/// <param name="Definition">The target as configured.</param>
/// <param name="Controller">The Props of LUN 0, the target's controller (one per target and node).</param>
/// <param name="Luns">This node's ports of the target's disk LUNs, by LUN number.</param>
public sealed record TargetRuntime(
    TargetDefinition Definition,
    Props Controller,
    IReadOnlyDictionary<ulong, IActorRef> Luns)
{
    /// <summary>This node's port of the LUN with this cluster-wide id, or null when the target maps no such LUN here.</summary>
    public IActorRef? PortOf(ulong lunId) =>
        Definition.Luns.FirstOrDefault(l => l.VolumeId == lunId) is { } lun && Luns.TryGetValue(lun.Lun, out var port) ? port : null;
}
