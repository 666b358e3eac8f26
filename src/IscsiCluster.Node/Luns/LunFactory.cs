using System.Globalization;
using Akka.Actor;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Cluster;
using IscsiCluster.Cluster.Membership;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Forwarding;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Alua;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// Makes the actors of logical units: each target's LUN 0 controller (as in tgt) and its absent-LUN actor on every
/// node, every disk LUN's owner (the sharded entity, on one node at a time) and every node's port of it. Each unit's
/// identity derives from a cluster-wide id that never changes (ARCHITECTURE, Identity), so INQUIRY answers the same on
/// every node and path.
/// <para>
/// Akka evaluates the arguments of a <c>Props.Create</c> expression once, when the Props is made, and a restarted actor
/// is built from the same values. So the SCSI unit, which holds the LUN's state (reservations, unit attentions owed to
/// each nexus, mode pages), is made here, once per Props: a LUN actor restarted after a failure keeps serving the same
/// unit, and no initiator silently loses a reservation or an attention it is owed. A replicated LUN's owner restarted so
/// starts a new epoch of its protocol under that same unit (<see cref="LunReplication.Start"/>). An owner made anew (its
/// entity passivated, its node lost, the LUN moved) has a fresh unit, which reads back from the replicated state what
/// the last owner saved: persistent reservations, mode pages changed by MODE SELECT, and the unit attentions each nexus
/// was owed (<see cref="DiskUnit.RestoreState"/>). What is not saved is lost as after a power on: every nexus is owed
/// POWER ON, RESET, OR BUS DEVICE RESET OCCURRED on its next command, and SPC-2 reservations are gone. A nexus the saved
/// state names is then owed what it was owed before and the move's ASYMMETRIC ACCESS STATE CHANGED.
/// </para>
/// </summary>
public sealed class LunFactory(LunFactory.Parts parts)
{
    private const string DefaultVendorId = "ISCSICLU";
    private const string DefaultProductId = "VIRTUAL-DISK";
    private const string DefaultRevision = "0001";

    // SPC-4 7.8.6.6.2: the NAA 3h "locally assigned" designator carries the 60-bit unit id.
    private const ulong NaaLocallyAssigned = 0x3UL << 60;

    /// <summary>The actor of a target's LUN 0 (its controller), on every node.</summary>
    public Props Controller(string targetName) =>
        Props.Create(() => new LunActor(new ControllerUnit(Identity(LunIds.TargetId(targetName), null)), parts.UnitLogger, null, default))
            .WithDispatcher(parts.Dispatcher);

    /// <summary>The actor that answers for LUN numbers the target does not have.</summary>
    public Props Absent(string targetName) =>
        Props.Create(() => new LunActor(new AbsentUnit(Identity(LunIds.TargetId(targetName), null)), parts.UnitLogger, null, default))
            .WithDispatcher(parts.Dispatcher);

    /// <summary>This node's port of a disk LUN (see <see cref="LunPort"/>).</summary>
    public Props Port(LunDefinition lun)
    {
        var volumeId = lun.VolumeId ?? throw new InvalidOperationException($"LUN {lun.Lun} has no id yet");
        var fallback = new DiskUnit(Identity(volumeId, lun), new NoMedium(lun.BlockSize), portGroups: new AllTransitioning(parts.View.Settings));
        return Props.Create(() => new LunPort(volumeId, parts.View.Settings.Self, fallback, parts.Wake, parts.Forwarding, parts.View, parts.PortLogger));
    }

    /// <summary>
    /// The owner of the LUN <paramref name="volumeId"/> (a sharded entity): its unit over the replicated volume. A LUN the
    /// configuration no longer has (deleted while its owner started) gets an actor that answers LOGICAL UNIT NOT SUPPORTED.
    /// </summary>
    public Props Owner(ulong volumeId)
    {
        if (!parts.Configuration.TryFindLun(volumeId, out var target, out var lun))
        {
            return Props.Create(() => new LunActor(new AbsentUnit(Identity(volumeId, null)), parts.UnitLogger, null, default)).WithDispatcher(parts.Dispatcher);
        }

        var settings = parts.Replication.For(ReplicatedLayout.ReplicatedBytes(lun.SizeBytes), parts.View.Settings.ReplicasOf(volumeId));
        ReplicaActor.EnsureVolume(parts.Store, volumeId, settings.SizeBytes);
        var replication = new LunReplication(volumeId, settings, parts.Endpoint, parts.View, parts.Configuration, parts.Store, lun.BlockSize, Announce, parts.UnitLogger);
        var unit = new DiskUnit(Identity(volumeId, lun), replication.Device, options: null, replication.State, replication);
        unit.SetInventory([0, .. target.Luns.Select(l => l.Lun)]);
        return Props.Create(() => new LunActor(unit, parts.UnitLogger, replication, parts.Replication.TickInterval)).WithDispatcher(parts.Dispatcher);
    }

    /// <summary>The owner of <paramref name="lunId"/> says where it is: to this node's port directly, to the others by publication.</summary>
    private void Announce(ulong lunId, IActorRef owner, long epoch, bool serving, long bytes)
    {
        if (parts.Forwarding.TryGetPort(lunId, out var port))
        {
            port.Tell(new LunPort.LocalOwner(owner, epoch, serving, bytes));
        }

        parts.Publish(LunOwnerAnnounce.Topic, new LunOwnerAnnounce(lunId, parts.View.Settings.Self, epoch, serving, bytes));
    }

    /// <summary>What show prints for each unit: SCSI ID (the NAA designator of VPD page 0x83) and SCSI SN (VPD page 0x80).</summary>
    public IEnumerable<LunRuntimeInfo> RuntimeInfo(TargetDefinition target)
    {
        yield return Runtime(target.Tid, 0, LunIds.TargetId(target.Name));
        foreach (var lun in target.Luns)
        {
            if (lun.VolumeId is { } volumeId)
            {
                yield return Runtime(target.Tid, lun.Lun, volumeId);
            }
        }
    }

    private static LunRuntimeInfo Runtime(int tid, ulong lun, ulong unitId) =>
        new(tid, lun, $"naa.{NaaLocallyAssigned | unitId:x16}", SerialNumber(unitId), Online: true);

    private static LogicalUnitIdentity Identity(ulong id, LunDefinition? lun) =>
        new(id, lun?.VendorId ?? DefaultVendorId, lun?.ProductId ?? DefaultProductId, lun?.ProductRevision ?? DefaultRevision, SerialNumber(id));

    private static string SerialNumber(ulong id) => id.ToString("x15", CultureInfo.InvariantCulture);

    /// <summary>Everything the factory builds from.</summary>
    /// <param name="Wake">Starts a LUN's owner wherever sharding puts it.</param>
    public sealed record Parts(
        BlockStore Store,
        ClusterConfigurationView Configuration,
        ClusterView View,
        ReplicationEndpoint Endpoint,
        ReplicationOptions Replication,
        ForwardingEndpoint Forwarding,
        Action<ulong> Wake,
        Action<string, object> Publish,
        string Dispatcher,
        ILogger UnitLogger,
        ILogger PortLogger);

    /// <summary>The medium of a port's stand-in unit: never reached, since every port of it reports transitioning.</summary>
    private sealed class NoMedium(int blockSize) : IBlockDevice
    {
        public int BlockSize => blockSize;

        public long BlockCount => 0;

        public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default) => throw Unavailable();

        public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default) => throw Unavailable();

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => throw Unavailable();

        public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default) => throw Unavailable();

        private static ReplicationUnavailableException Unavailable() => new(IscsiCluster.Replication.Owner.CompletionStatus.NotServing);
    }

    /// <summary>Every node's group transitioning: what a port reports while it cannot reach the LUN's owner.</summary>
    private sealed class AllTransitioning(ClusterSettings settings) : IPortGroups
    {
        public IReadOnlyList<TargetPortGroup> Groups { get; } =
            [.. settings.Nodes.Select(n => new TargetPortGroup((ushort)n.Number, AsymmetricAccessState.Transitioning, (ushort)n.Number))];

        public AsymmetricAccessState StateOf(ushort group) => AsymmetricAccessState.Transitioning;
    }
}
