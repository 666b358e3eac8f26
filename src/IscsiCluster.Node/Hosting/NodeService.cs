using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Hosting;
using IscsiCluster.Iscsi;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// The node's front doors, opened once the actor system and the configuration actor run: the iSCSI
/// portal and the management endpoint. Stopping closes the endpoint, then ends every session (each
/// is told the target drops it) before the host stops the actor system.
/// </summary>
internal sealed class NodeService(
    IServiceProvider services,
    NodeSettings settings,
    IscsiSettings iscsi,
    AdminSettings admin,
    NodeStorage storage,
    NodeStartOptions start,
    TargetDirectory directory,
    ILoggerFactory loggerFactory) : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("IscsiCluster.Node");
    private IscsiPortal? _portal;
    private ManagementEndpoint? _management;

    /// <summary>Where the portal accepts connections (its port is known once started, even when configured as 0).</summary>
    public IPEndPoint PortalEndPoint => (_portal ?? throw new InvalidOperationException("the portal is not open")).LocalEndPoint;

    /// <summary>The management endpoint, once open.</summary>
    public ManagementEndpoint Management => _management ?? throw new InvalidOperationException("the management endpoint is not open");

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var system = services.GetRequiredService<ActorSystem>();
        var configuration = await services.GetRequiredService<IRequiredActor<ConfigurationActor>>().GetAsync(cancellationToken);

        // The targets of the node's last configuration exist before the portal opens, so the first login already finds them.
        await configuration.Ask<ConfigurationActor.TargetNames>(ConfigurationActor.GetTargetNames.Instance, NodeHost.AskTimeout, cancellationToken);
        var portal = new IscsiPortal(iscsi, system, directory, loggerFactory);
        try
        {
            await portal.StartAsync(cancellationToken);
        }
        catch
        {
            await portal.DisposeAsync();
            throw;
        }

        _portal = portal;
        NodeLog.PortalListening(_logger, portal.LocalEndPoint.ToString());

        var socketPath = Path.GetFullPath(start.AdminSocket ?? admin.ResolveSocketPath(storage.DataDirectory));
        _management = await ManagementEndpoint.StartAsync(admin, socketPath, configuration, loggerFactory.CreateLogger("IscsiCluster.Node.Admin"));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        NodeLog.Stopping(_logger, settings.Name);
        if (Interlocked.Exchange(ref _management, null) is { } management)
        {
            await management.DisposeAsync();
        }

        if (_portal is { } portal)
        {
            await DrainAsync(portal);
            try
            {
                await portal.StopAsync().WaitAsync(settings.ShutdownTimeout, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                // Sessions that do not end in time are cut when the process exits; the store is still flushed.
            }
        }
    }

    /// <summary>How long a leaving node waits for its LUNs' owners to move.</summary>
    private static readonly TimeSpan HandOffTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A node that stops while the others hold a majority first moves what it owns to them, then asks its initiators to
    /// log out: sharding hands the LUNs (and the configuration) over while this node's sessions still reach them
    /// through the others, and only then do those sessions move to the other paths. A node alone, or on a side
    /// without a majority, has nowhere to move anything and just stops.
    /// </summary>
    private async Task DrainAsync(IscsiPortal portal)
    {
        var cluster = services.GetRequiredService<NodeCluster>();
        var others = cluster.Settings.Nodes.Count(n => n.Number != cluster.Settings.Self && cluster.View.StateOf(n.Number) == Cluster.Membership.NodeState.Up);
        if (cluster.Settings.IsSingleNode || others < cluster.Settings.Majority)
        {
            return;
        }

        NodeLog.Draining(_logger, settings.Name);
        var started = System.Diagnostics.Stopwatch.StartNew();
        var sharding = Akka.Cluster.Sharding.ClusterSharding.Get(services.GetRequiredService<ActorSystem>());
        var handedOff = await Task.WhenAll(new[] { "lun", "configuration" }.Select(async name =>
        {
            try
            {
                return await sharding.ShardRegion(name).GracefulStop(HandOffTimeout, Akka.Cluster.Sharding.GracefulShutdown.Instance);
            }
            catch (Exception e) when (e is TaskCanceledException or ArgumentException or InvalidOperationException)
            {
                return false;
            }
        }));
        var loggedOut = await portal.RequestLogoutAllAsync("the node is leaving the cluster");
        NodeLog.Drained(_logger, settings.Name, handedOff.All(h => h), loggedOut, started.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The TargetAddress values SendTargets gives this initiator: every live node's portal with its portal group tag (the
    /// node's number), so multipath finds every path; a node alone gives its own portal, by the address the initiator
    /// reached it by.
    /// </summary>
    public IReadOnlyList<string> AddressesFor(InitiatorContext initiator)
    {
        var cluster = services.GetRequiredService<NodeCluster>();
        if (cluster.Settings.IsSingleNode)
        {
            return [FormatTargetAddress(AddressFor(PortalEndPoint, initiator), iscsi.TargetPortalGroupTag)];
        }

        return
        [
            .. cluster.Settings.Nodes
                .Where(n => n.Number == cluster.Settings.Self || cluster.View.StateOf(n.Number) == Cluster.Membership.NodeState.Up)
                .Select(n => FormatTargetAddress(n.Number == cluster.Settings.Self ? PortalEndPoint : n.Portal, (ushort)n.Number)),
        ];
    }

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
