using System.Net;
using System.Net.Sockets;
using IscsiCluster.Actors;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Config;
using IscsiCluster.Iscsi;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node;

/// <summary>
/// The composition root of one node: opens the store, loads the configuration kept there (or seeds
/// it from the HOCON targets), starts the actor system with the configuration actor and one actor
/// per target and per LUN, opens the iSCSI portal and the management endpoint. Used by the daemon
/// and by in-process tests alike.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private readonly ILogger _logger;
    private readonly BlockStore _store;
    private readonly ActorSystem _system;
    private readonly IscsiPortal _portal;
    private readonly ManagementEndpoint _management;
    private int _stopped;

    private NodeHost(NodeSettings settings, ILogger logger, BlockStore store, ActorSystem system, IscsiPortal portal, ManagementEndpoint management, IReadOnlyList<string> targetNames)
    {
        Settings = settings;
        _logger = logger;
        _store = store;
        _system = system;
        _portal = portal;
        _management = management;
        TargetNames = targetNames;
    }

    public NodeSettings Settings { get; }

    /// <summary>Where the portal accepts connections (its port is known once started, even when configured as 0).</summary>
    public IPEndPoint PortalEndPoint => _portal.LocalEndPoint;

    /// <summary>The management endpoint's Unix socket.</summary>
    public string AdminSocketPath => _management.SocketPath;

    /// <summary>The management endpoint's TCP address, or null when it is off.</summary>
    public IPEndPoint? AdminTcpEndPoint => _management.TcpEndPoint;

    /// <summary>The targets this node served when it started.</summary>
    public IReadOnlyList<string> TargetNames { get; }

    /// <summary>The node's configuration: the given file over the defaults of every library.</summary>
    public static Config.Config LoadConfig(Config.Config overrides) => overrides
        .WithFallback(ConfigFactory.FromResource(typeof(NodeHost).Assembly, "IscsiCluster.Node.reference.conf"))
        .WithFallback(IscsiSettings.Reference)
        .WithFallback(ConfigFactory.FromResource(typeof(BlockStore).Assembly, "IscsiCluster.Storage.reference.conf"));

    /// <summary>Starts a node; returns once its portal accepts logins.</summary>
    /// <param name="config">The full configuration (see <see cref="LoadConfig"/>).</param>
    /// <param name="dataDirectory">Overrides iscsi-cluster.node.data-dir when given.</param>
    public static Task<NodeHost> StartAsync(Config.Config config, string? dataDirectory, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
        => StartAsync(config, new NodeStartOptions(dataDirectory), loggerFactory, cancellationToken);

    /// <summary>Starts a node; returns once its portal accepts logins and its management endpoint listens.</summary>
    public static async Task<NodeHost> StartAsync(Config.Config config, NodeStartOptions options, ILoggerFactory loggerFactory, CancellationToken cancellationToken)
    {
        var settings = NodeSettings.Create(config);
        var admin = AdminSettings.Create(config);
        var iscsi = IscsiSettings.Create(config);
        var storeOptions = BlockStoreSettings.Create(config);
        var logger = loggerFactory.CreateLogger("IscsiCluster.Node");
        var directory = Path.GetFullPath(options.DataDirectory ?? settings.DataDirectory);
        NodeLog.Starting(logger, settings.Name, directory);
        Directory.CreateDirectory(directory);

        var store = BlockStore.Open(directory, storeOptions);
        ActorSystem? system = null;
        IscsiPortal? portal = null;
        try
        {
            var provisioner = new LunProvisioner(store);
            var volumes = new LunVolumes(store, admin.ImportChunkSize, loggerFactory.CreateLogger("IscsiCluster.Node.Volumes"));
            var configurationStore = new ConfigurationStore(store);
            var configuration = LoadOrSeed(configurationStore, settings, provisioner, logger);
            volumes.DeleteOrphans(configuration);
            volumes.MatchSizes(configuration);

            system = ActorSystem.Create(settings.Name, loggerFactory);
            var targetDirectory = new TargetDirectory(
                initiator => [FormatTargetAddress(AddressFor(portal!.LocalEndPoint, initiator), iscsi.TargetPortalGroupTag)],
                AskTimeout);
            var lunFactory = new LunFactory(store, provisioner, loggerFactory.CreateLogger("IscsiCluster.Node.Lun"));
            var timeouts = new NodeTimeouts(AskTimeout, iscsi.LogoutGracePeriod + AskTimeout);
            var configurationActor = system.ActorOf(
                Props.Create(() => new ConfigurationActor(configuration, configurationStore, volumes, lunFactory, targetDirectory, timeouts, logger)),
                "configuration");

            // Targets exist before the portal opens, so the first login already finds them.
            var names = await configurationActor.Ask<ConfigurationActor.TargetNames>(ConfigurationActor.GetTargetNames.Instance, AskTimeout, cancellationToken);
            portal = new IscsiPortal(iscsi, system, targetDirectory, loggerFactory);
            await portal.StartAsync(cancellationToken);
            NodeLog.PortalListening(logger, portal.LocalEndPoint.ToString());

            var socketPath = Path.GetFullPath(options.AdminSocket ?? admin.ResolveSocketPath(directory));
            var management = await ManagementEndpoint.StartAsync(admin, socketPath, configurationActor, loggerFactory.CreateLogger("IscsiCluster.Node.Admin"));
            return new NodeHost(settings, logger, store, system, portal, management, names.Names);
        }
        catch
        {
            if (portal is not null)
            {
                await portal.StopAsync();
            }

            if (system is not null)
            {
                await system.Terminate();
            }

            store.Dispose();
            throw;
        }
    }

    /// <summary>The stored configuration; on a store that holds none, the HOCON targets, stored at once.</summary>
    private static ClusterConfiguration LoadOrSeed(ConfigurationStore store, NodeSettings settings, LunProvisioner provisioner, ILogger logger)
    {
        if (store.TryLoad(out var stored))
        {
            NodeLog.ConfigurationLoaded(logger, stored.Targets.Count, stored.Accounts.Count);
            if (settings.Targets.Count > 0)
            {
                NodeLog.ConfiguredTargetsIgnored(logger);
            }

            return stored;
        }

        var seeded = ConfigurationSeed.FromSettings(settings.Targets, provisioner);
        store.Save(seeded);
        NodeLog.ConfigurationSeeded(logger, seeded.Targets.Count);
        return seeded;
    }

    /// <summary>Closes the management endpoint, ends sessions, stops every actor, then flushes and closes the store. Safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        NodeLog.Stopping(_logger, Settings.Name);
        await _management.DisposeAsync();
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

    /// <summary>A portal bound to every address is announced by the address this initiator connected to.</summary>
    private static IPEndPoint AddressFor(IPEndPoint listening, InitiatorContext initiator)
        => (listening.Address.Equals(IPAddress.Any) || listening.Address.Equals(IPAddress.IPv6Any)) && initiator.PortalEndPoint is { } reached
            ? new IPEndPoint(reached.Address.IsIPv4MappedToIPv6 ? reached.Address.MapToIPv4() : reached.Address, listening.Port)
            : listening;

    /// <summary>RFC 7143 13.9: TargetAddress is domainname[:port][,portal-group-tag], IPv6 in brackets.</summary>
    private static string FormatTargetAddress(IPEndPoint endPoint, ushort portalGroupTag)
    {
        var host = endPoint.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        return $"{host}:{endPoint.Port},{portalGroupTag}";
    }
}
