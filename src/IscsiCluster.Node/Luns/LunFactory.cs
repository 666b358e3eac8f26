using System.Globalization;
using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Scsi;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// Makes the actors of a target's logical units from its definition: LUN 0 is the controller (as in
/// tgt), disk LUNs run over their volume in the store, and one actor answers for LUNs that do not
/// exist. Each unit's identity derives from a cluster-wide id that never changes (ARCHITECTURE, Identity).
/// <para>
/// Akka evaluates the arguments of a <c>Props.Create</c> expression once, when the Props is made, and
/// a restarted actor is built from the same values. So the SCSI unit, which holds the LUN's state
/// (reservations, unit attentions owed to each nexus, mode pages), is made here, once per Props: a LUN
/// actor that its target restarts after a failure keeps serving the same unit, and no initiator
/// silently loses a reservation or an attention it is owed.
/// </para>
/// </summary>
/// <param name="dispatcher">The Akka dispatcher LUN actors run on (<c>iscsi-cluster.node.lun-dispatcher</c>).</param>
public sealed class LunFactory(BlockStore store, LunProvisioner provisioner, ILogger unitLogger, string dispatcher)
{
    private const string DefaultVendorId = "ISCSICLU";
    private const string DefaultProductId = "VIRTUAL-DISK";
    private const string DefaultRevision = "0001";

    // SPC-4 7.8.6.6.2: the NAA 3h "locally assigned" designator carries the 60-bit unit id.
    private const ulong NaaLocallyAssigned = 0x3UL << 60;

    /// <summary>The LUN actors of a target, LUN 0 included, each with the definition it was made from.</summary>
    public IReadOnlyDictionary<ulong, LunSpec> Build(TargetDefinition target)
    {
        var specs = new Dictionary<ulong, LunSpec>
        {
            [0] = new LunSpec(null, Controller(target.Name)),
        };
        foreach (var lun in target.Luns)
        {
            specs[lun.Lun] = new LunSpec(lun, Disk(lun));
        }

        return specs;
    }

    /// <summary>The actor that answers for LUN numbers the target does not have.</summary>
    public Props Absent(string targetName)
    {
        var identity = Identity(provisioner.TargetId(targetName), null);
        return Props.Create(() => new LunActor(new AbsentUnit(identity), unitLogger)).WithDispatcher(dispatcher);
    }

    /// <summary>What show prints for each unit: SCSI ID (the NAA designator of VPD page 0x83) and SCSI SN (VPD page 0x80).</summary>
    public IEnumerable<LunRuntimeInfo> RuntimeInfo(TargetDefinition target)
    {
        yield return Runtime(target.Tid, 0, provisioner.TargetId(target.Name));
        foreach (var lun in target.Luns)
        {
            if (lun.VolumeId is { } volumeId)
            {
                yield return Runtime(target.Tid, lun.Lun, volumeId);
            }
        }
    }

    private Props Controller(string targetName)
    {
        var identity = Identity(provisioner.TargetId(targetName), null);
        return Props.Create(() => new LunActor(new ControllerUnit(identity), unitLogger)).WithDispatcher(dispatcher);
    }

    private Props Disk(LunDefinition lun)
    {
        var volumeId = lun.VolumeId ?? throw new InvalidOperationException($"LUN {lun.Lun} has no volume yet");
        var identity = Identity(volumeId, lun);
        var groupCommit = new GroupCommit(store, volumeId);
        var device = new StoreBlockDevice(store, volumeId, lun.BlockSize, groupCommit);
        var state = new StoreUnitState(store, volumeId);
        return Props.Create(() => new LunActor(new DiskUnit(identity, device, options: null, state), unitLogger, groupCommit)).WithDispatcher(dispatcher);
    }

    private static LunRuntimeInfo Runtime(int tid, ulong lun, ulong unitId) =>
        new(tid, lun, $"naa.{NaaLocallyAssigned | unitId:x16}", SerialNumber(unitId), Online: true);

    private static LogicalUnitIdentity Identity(ulong id, LunDefinition? lun) =>
        new(id, lun?.VendorId ?? DefaultVendorId, lun?.ProductId ?? DefaultProductId, lun?.ProductRevision ?? DefaultRevision, SerialNumber(id));

    private static string SerialNumber(ulong id) => id.ToString("x15", CultureInfo.InvariantCulture);
}

/// <summary>One LUN actor to run: the definition it serves (null for the controller) and how to make it.</summary>
/// <remarks>A target replaces a running LUN actor when the definition it was made from changes, except for its size.</remarks>
public sealed record LunSpec(LunDefinition? Definition, Props Props)
{
    /// <summary>
    /// Whether serving <paramref name="wanted"/> needs a new actor in place of one made from this spec. A new size
    /// does not: the running unit's device follows its volume (<see cref="StoreBlockDevice.BlockCount"/>), and the
    /// actor that stays keeps the nexuses it knows, so each of them is told CAPACITY DATA HAS CHANGED, and keeps
    /// its reservations and other unit attentions.
    /// </summary>
    public bool IsReplacedBy(LunSpec wanted) =>
        Definition is null || wanted.Definition is null
            ? Definition != wanted.Definition
            : Definition with { SizeBytes = wanted.Definition.SizeBytes } != wanted.Definition;
}
