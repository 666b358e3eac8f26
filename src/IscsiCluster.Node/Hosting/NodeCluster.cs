using System.Net;
using Akka.Actor;
using IscsiCluster.Cluster;
using IscsiCluster.Cluster.Membership;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Cluster.Transport;
using IscsiCluster.Node.Forwarding;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// The node's part of the cluster that is not an actor: its view of the membership, its data connections to the other
/// nodes and the endpoints on them (replication, forwarded commands). The host starts it after the store and before the
/// actor system, and stops it after the actor system, so the actors can send until they have stopped.
/// </summary>
internal sealed class NodeCluster(ClusterSettings settings, ILoggerFactory loggerFactory) : IHostedService
{
    private DataPlane? _plane;

    public ClusterSettings Settings => settings;

    public ClusterView View { get; } = new(settings);

    public ReplicationEndpoint Replication { get; } = new(settings.Self, loggerFactory.CreateLogger("IscsiCluster.Cluster.Replication"));

    public ForwardingEndpoint Forwarding { get; } = new(loggerFactory.CreateLogger("IscsiCluster.Node.Forwarding"));

    /// <summary>Where the data connections listen (the chosen port, for a single node on port 0).</summary>
    public IPEndPoint DataEndPoint => _plane?.LocalEndPoint ?? settings.Me.Data;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var router = new FrameRouter();
        var me = settings.Me;
        var listen = settings.IsSingleNode ? new IPEndPoint(IPAddress.Loopback, 0) : me.Data;
        var peers = settings.Nodes.Where(n => n.Number != settings.Self).ToDictionary(n => n.Number, n => n.Data);
        _plane = new DataPlane(new DataPlaneSettings(settings.Self, ClusterSettings.SystemName, listen, peers), router, loggerFactory);
        Replication.Attach(_plane, router);
        Forwarding.Attach(_plane, router);
        _plane.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _plane, null) is { } plane)
        {
            await plane.DisposeAsync();
        }
    }

    /// <summary>The node a shard region runs on (its actor path's address; a local region is this node's).</summary>
    public int? NodeOf(IActorRef region, Address self)
    {
        var address = region.Path.Address;
        if (address.Host is null || address.Equals(self))
        {
            return settings.Self;
        }

        return settings.Nodes.FirstOrDefault(n => n.Address.ToString() == address.Host && n.RemotingPort == address.Port)?.Number;
    }
}
