using System.Net;
using System.Net.Sockets;
using IscsiCluster.Actors;
using IscsiCluster.Config;
using IscsiCluster.Iscsi;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using IscsiCluster.Scsi;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node;

/// <summary>
/// The composition root of one node: opens the store, starts the actor system with one
/// actor per target and per LUN, and opens the iSCSI portal. Used by the daemon and by
/// in-process tests alike.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly BlockStore _store;
    private readonly ActorSystem _system;
    private readonly IscsiPortal _portal;
    private int _stopped;

    private NodeHost(NodeSettings settings, ILogger logger, BlockStore store, ActorSystem system, IscsiPortal portal, IReadOnlyList<string> targetNames)
    {
        Settings = settings;
        _logger = logger;
        _store = store;
        _system = system;
        _portal = portal;
        TargetNames = targetNames;
    }

    public NodeSettings Settings { get; }

    /// <summary>Where the portal accepts connections (its port is known once started, even when configured as 0).</summary>
    public IPEndPoint PortalEndPoint => _portal.LocalEndPoint;

    /// <summary>The targets this node serves.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>The node's configuration: the given file over the defaults of every library.</summary>
    public static Config.Config LoadConfig(Config.Config overrides) => overrides
        .WithFallback(ConfigFactory.FromResource(typeof(NodeHost).Assembly, "IscsiCluster.Node.reference.conf"))
        .WithFallback(IscsiSettings.Reference)
        .WithFallback(ConfigFactory.FromResource(typeof(BlockStore).Assembly, "IscsiCluster.Storage.reference.conf"));

    /// <summary>Starts a node; returns once its portal accepts logins.</summary>
    /// <param name="config">The full configuration (see <see cref="LoadConfig"/>).</param>
    /// <param name="dataDirectory">Overrides iscsi-cluster.node.data-dir when given.</param>
    public static async Task<NodeHost> StartAsync(Config.Config config, string? dataDirectory, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var settings = NodeSettings.Create(config);
        var iscsi = IscsiSettings.Create(config);
        var storeOptions = BlockStoreSettings.Create(config);
        var logger = loggerFactory.CreateLogger("IscsiCluster.Node");
        var directory = Path.GetFullPath(dataDirectory ?? settings.DataDirectory);
        NodeLog.Starting(logger, settings.Name, directory);
        Directory.CreateDirectory(directory);

        var store = BlockStore.Open(directory, storeOptions);
        ActorSystem? system = null;
        try
        {
            var provisioner = new LunProvisioner(store);
            system = ActorSystem.Create(settings.Name, loggerFactory);
            var targetRefs = new Dictionary<string, IActorRef>(StringComparer.OrdinalIgnoreCase);
            var unitLogger = loggerFactory.CreateLogger("IscsiCluster.Node.Lun");
            foreach (var target in settings.Targets)
            {
                if (target.Acl.AddressEntries.Count == 0 && target.Acl.NameEntries.Count == 0)
                {
                    NodeLog.TargetWithoutAcl(logger, target.Name);
                }

                var lunProps = BuildLunProps(target, provisioner, store, unitLogger, logger);
                var absentIdentity = Identity(provisioner.TargetId(target.Name));
                var absentProps = Props.Create(() => new LunActor(new AbsentUnit(absentIdentity), unitLogger));
                targetRefs[target.Name] = system.ActorOf(
                    Props.Create(() => new TargetActor(target, _ => lunProps, absentProps)),
                    $"target-{targetRefs.Count + 1}");
            }

            // Targets exist before the portal opens, so the first login already finds them.
            IscsiPortal? portal = null;
            var targetDirectory = new TargetDirectory(
                targetRefs,
                new DiscoveryAccess([], null),
                () => [FormatTargetAddress(portal!.LocalEndPoint, iscsi.TargetPortalGroupTag)],
                AskTimeout);
            portal = new IscsiPortal(iscsi, system, targetDirectory, loggerFactory);
            await portal.StartAsync(cancellationToken);
            NodeLog.PortalListening(logger, portal.LocalEndPoint.ToString());

            return new NodeHost(settings, logger, store, system, portal, [.. settings.Targets.Select(t => t.Name)]);
        }
        catch
        {
            if (system is not null)
            {
                await system.Terminate();
            }

            store.Dispose();
            throw;
        }
    }

    /// <summary>Ends sessions, stops every actor, then flushes and closes the store. Safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        NodeLog.Stopping(_logger, Settings.Name);
        try
        {
            await _portal.StopAsync().WaitAsync(Settings.ShutdownTimeout);
        }
        catch (TimeoutException)
        {
            // Sessions that do not end in time are cut when the process exits; the store is still flushed.
        }

        await _system.Terminate();
        _store.Flush();
        _store.Dispose();
        NodeLog.Stopped(_logger, Settings.Name);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static Dictionary<ulong, Props> BuildLunProps(TargetSettings target, LunProvisioner provisioner, BlockStore store, ILogger unitLogger, ILogger logger)
    {
        var props = new Dictionary<ulong, Props>();
        foreach (var lun in target.Luns)
        {
            var volume = provisioner.Provision(target.Name, lun);
            NodeLog.LunReady(logger, target.Name, lun.Lun, lun.SizeBytes, lun.BlockSize, volume.VolumeId);
            var identity = Identity(volume.VolumeId);
            var device = new StoreBlockDevice(store, volume.VolumeId, volume.BlockSize, volume.BlockCount);
            var state = new StoreUnitState(store, volume.VolumeId);
            props[lun.Lun] = Props.Create(() => new LunActor(new DiskUnit(identity, device, options: null, state), unitLogger));
        }

        if (!props.ContainsKey(0))
        {
            // Like tgt, LUN 0 is the target's controller unless a disk is configured there.
            var identity = Identity(provisioner.TargetId(target.Name));
            props[0] = Props.Create(() => new LunActor(new ControllerUnit(identity), unitLogger));
        }

        return props;
    }

    private static LogicalUnitIdentity Identity(ulong id)
        => new(id, VendorId: "ISCSICLU", ProductId: "VIRTUAL-DISK", Revision: "0001", SerialNumber: id.ToString("x15", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>RFC 7143 13.9: TargetAddress is domainname[:port][,portal-group-tag], IPv6 in brackets.</summary>
    private static string FormatTargetAddress(IPEndPoint endPoint, ushort portalGroupTag)
    {
        var host = endPoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        return $"{host}:{endPoint.Port},{portalGroupTag}";
    }
}
