using Akka.Actor;
using Akka.Cluster.Sharding;
using Akka.Cluster.Tools.PublishSubscribe;
using IscsiCluster.Cluster;
using IscsiCluster.Cluster.Membership;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Cluster.Sharding;
using IscsiCluster.Iscsi;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// The node's actors, started with the actor system: the membership watcher, the replicas this node keeps, the shard
/// regions of LUN owners and of the configuration's owner (their entities on one of their replicas) and of the targets
/// (anywhere), and the configuration actor that runs this node's ports of the targets and LUNs from the cluster's
/// configuration. A node alone joins
/// itself: it is a cluster of one.
/// </summary>
internal static class NodeActors
{
    public static IActorRef Start(ActorSystem system, IServiceProvider services)
    {
        var settings = services.GetRequiredService<NodeSettings>();
        var iscsi = services.GetRequiredService<IscsiSettings>();
        var replication = services.GetRequiredService<ReplicationOptions>();
        var storage = services.GetRequiredService<NodeStorage>();
        var cluster = services.GetRequiredService<NodeCluster>();
        var view = services.GetRequiredService<ClusterConfigurationView>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var admin = services.GetRequiredService<AdminSettings>();
        var logger = loggers.CreateLogger("IscsiCluster.Node");
        var akkaCluster = Akka.Cluster.Cluster.Get(system);
        var mediator = DistributedPubSub.Get(system).Mediator;

        system.ActorOf(Props.Create(() => new MembershipWatcher(cluster.View, loggers.CreateLogger("IscsiCluster.Cluster.Membership"))), "membership");
        var replicas = system.ActorOf(
            Props.Create(() => new ReplicaManager(storage.Store, cluster.Replication, replication, settings.LunDispatcher, loggers.CreateLogger("IscsiCluster.Cluster.Replication"))),
            "replicas");

        var sharding = ClusterSharding.Get(system);
        var shardingSettings = ClusterShardingSettings.Create(system);
        int? NodeOf(IActorRef region) => cluster.NodeOf(region, akkaCluster.SelfAddress);
        IActorRef lunRegion = ActorRefs.Nobody;
        var factory = new LunFactory(new LunFactory.Parts(
            storage.Store,
            view,
            cluster.View,
            cluster.Replication,
            replication,
            cluster.Forwarding,
            lunId => lunRegion.Tell(new WakeLun(lunId)),
            (topic, message) => mediator.Tell(new Publish(topic, message)),
            settings.LunDispatcher,
            loggers.CreateLogger("IscsiCluster.Node.Lun"),
            loggers.CreateLogger("IscsiCluster.Node.Forwarding")));
        lunRegion = sharding.Start(
            "lun",
            entityId => factory.Owner(LunMessageExtractor.LunIdOf(entityId)),
            shardingSettings,
            new LunMessageExtractor(),
            new ReplicaAllocation(shard => cluster.Settings.ReplicasOf(LunMessageExtractor.LunIdOf(shard)), NodeOf),
            PoisonPill.Instance);

        var configurationSettings = replication.For(ConfigurationOwner.VolumeBytes, cluster.Settings.ReplicasOf(ConfigurationOwner.VolumeId));
        var configurationRegion = sharding.Start(
            "configuration",
            _ =>
            {
                ReplicaActor.EnsureVolume(storage.Store, ConfigurationOwner.VolumeId, configurationSettings.SizeBytes);
                return Props.Create(() => new ConfigurationOwner(
                    configurationSettings, storage.Store, cluster.Replication, storage.Seed, replication.TickInterval, logger)).WithDispatcher(settings.LunDispatcher);
            },
            shardingSettings,
            new ConfigurationMessageExtractor(),
            new ReplicaAllocation(_ => cluster.Settings.ReplicasOf(ConfigurationOwner.VolumeId), NodeOf),
            PoisonPill.Instance);

        // Targets spread over every node (a target has no data to be near); like LUN owners, they move only when their node leaves.
        var targetRegion = sharding.Start(
            "target",
            entityId => Props.Create(() => new TargetEntity(TargetMessageExtractor.TidOf(entityId), view)),
            shardingSettings,
            new TargetMessageExtractor(),
            new ReplicaAllocation(_ => [.. cluster.Settings.Nodes.Select(n => n.Number)], NodeOf),
            PoisonPill.Instance);

        var directory = services.GetRequiredService<TargetDirectory>();
        directory.Attach(targetRegion);
        var timeouts = new NodeTimeouts(NodeHost.AskTimeout, iscsi.LogoutGracePeriod + NodeHost.AskTimeout);
        var importer = services.GetRequiredService<LunImporter>();
        var parts = new ClusterParts(cluster.Settings, cluster.View, configurationRegion, lunRegion, replicas);
        var configuration = system.ActorOf(
            Props.Create(() => new ConfigurationActor(storage.Configurations, factory, directory, view, importer, parts, timeouts, admin.RefuseShortSecrets, logger)),
            "configuration");

        system.ActorOf(Props.Create(() => new NodeSessionsActor(cluster.Settings.Self, directory)), NodeSessionsActor.Name);
        if (cluster.Settings.IsSingleNode)
        {
            akkaCluster.Join(akkaCluster.SelfAddress);
        }

        return configuration;
    }
}
