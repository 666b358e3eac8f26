using System.Net;
using Akka.Actor;
using Akka.Hosting;
using Akka.Hosting.Logging;
using IscsiCluster.Cluster;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Config;
using IscsiCluster.Iscsi;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Hosting;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using IscsiCluster.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using AkkaConfig = Akka.Configuration.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace IscsiCluster.Node;

/// <summary>
/// The composition root of one node, on the .NET Generic Host with Akka.Hosting. The host starts,
/// in order, the store (<see cref="NodeStorage"/>: opens it, loads or seeds the configuration of
/// targets), the actor system (Akka.Hosting, configured from the node's own <c>akka</c> section, its
/// log events going through the node's logging) with the configuration actor and one actor per
/// target and LUN, then the portal and the management endpoint (<see cref="NodeService"/>); it stops
/// them in the reverse order. SIGTERM and Ctrl-C stop the host. Used by the daemon and by
/// in-process tests alike.
/// </summary>
public sealed class NodeHost : IAsyncDisposable
{
    /// <summary>The actor system's name: the same on every node, as Akka.Cluster requires of one cluster.</summary>
    public const string ActorSystemName = "iscsi-cluster";

    /// <summary>How long the node waits for one of its own actors to answer.</summary>
    internal static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(10);

    private readonly IHost _host;
    private int _stopped;

    private NodeHost(IHost host)
    {
        _host = host;
    }

    public NodeSettings Settings => _host.Services.GetRequiredService<NodeSettings>();

    /// <summary>Where the portal accepts connections (its port is known once started, even when configured as 0).</summary>
    public IPEndPoint PortalEndPoint => Node.PortalEndPoint;

    /// <summary>The management endpoint's Unix socket.</summary>
    public string AdminSocketPath => Node.Management.SocketPath;

    /// <summary>The management endpoint's TCP address, or null when it is off.</summary>
    public IPEndPoint? AdminTcpEndPoint => Node.Management.TcpEndPoint;

    /// <summary>The targets of the cluster's configuration, once the node has it (see <see cref="WaitReadyAsync"/>).</summary>
    public IReadOnlyList<string> TargetNames => [.. _host.Services.GetRequiredService<ClusterConfigurationView>().Current.Targets.Select(t => t.Name)];

    /// <summary>This node's data connections endpoint.</summary>
    public IPEndPoint DataEndPoint => _host.Services.GetRequiredService<NodeCluster>().DataEndPoint;

    /// <summary>The node's actor system.</summary>
    public ActorSystem ActorSystem => _host.Services.GetRequiredService<ActorSystem>();

    /// <summary>The node's services, for tests that reach its actors and store directly.</summary>
    internal IServiceProvider Services => _host.Services;

    private NodeService Node => _host.Services.GetRequiredService<NodeService>();

    /// <summary>The node's configuration: the given file over the defaults of every library.</summary>
    public static Config.Config LoadConfig(Config.Config overrides) => overrides
        .WithFallback(ConfigFactory.FromResource(typeof(NodeHost).Assembly, "IscsiCluster.Node.reference.conf"))
        .WithFallback(IscsiSettings.Reference)
        .WithFallback(ClusterSettings.Reference)
        .WithFallback(ConfigFactory.FromResource(typeof(BlockStore).Assembly, "IscsiCluster.Storage.reference.conf"));

    /// <summary>
    /// Builds a node from its full configuration (see <see cref="LoadConfig"/>) without starting it. Every
    /// setting is read here, so a bad configuration fails before anything opens.
    /// </summary>
    /// <param name="loggerFactory">Where the node logs; null logs single lines to the console.</param>
    /// <exception cref="ConfigException">The configuration does not parse, resolve or type-check.</exception>
    /// <exception cref="NodeConfigurationException">A setting parses but makes no sense.</exception>
    public static NodeHost Create(Config.Config config, NodeStartOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(options);
        var settings = NodeSettings.Create(config);
        var admin = AdminSettings.Create(config);
        var localIscsi = IscsiSettings.Create(config);
        var storeOptions = BlockStoreSettings.Create(config);
        var cluster = ClusterSettings.Create(config, localIscsi.ListenEndPoint);
        var replication = ReplicationOptions.Create(config);

        // In a cluster each node's portal, portal group and relative port come from its entry in the node list.
        var iscsi = cluster.IsSingleNode ? localIscsi : localIscsi with
        {
            ListenEndPoint = cluster.Me.Portal,
            TargetPortalGroupTag = (ushort)cluster.Me.Number,
            RelativeTargetPortId = (ushort)cluster.Me.Number,
        };
        var section = AkkaSection.From(config);
        var akka = cluster.AkkaOverrides(section).WithFallback(section);
        RequireDispatcher(akka, "iscsi-cluster.node.lun-dispatcher", settings.LunDispatcher);
        RequireDispatcher(akka, "iscsi-cluster.iscsi.session-dispatcher", iscsi.SessionDispatcher);

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        ConfigureLogging(builder, loggerFactory);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = settings.ShutdownTimeout + AskTimeout);
        builder.Services.AddSingleton(settings);
        builder.Services.AddSingleton(admin);
        builder.Services.AddSingleton(iscsi);
        builder.Services.AddSingleton(storeOptions);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton(replication);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton<ClusterConfigurationView>();
        builder.Services.AddSingleton(sp => new LunImporter(admin.ImportChunkSize, sp.GetRequiredService<ILoggerFactory>().CreateLogger("IscsiCluster.Node.Import")));

        // Started first, stopped last: the store outlives every actor, and the data connections outlive the actors that use them.
        builder.Services.AddSingleton<NodeStorage>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeStorage>());
        builder.Services.AddSingleton<NodeCluster>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeCluster>());
        builder.Services.AddSingleton(sp => new TargetDirectory(
            initiator => sp.GetRequiredService<NodeService>().AddressesFor(initiator),
            sp.GetRequiredService<ClusterConfigurationView>(),
            AskTimeout));
        builder.Services.AddAkka(ActorSystemName, (akkaBuilder, sp) => akkaBuilder
            .AddHocon(akka, HoconAddMode.Prepend)
            .AddSetup(new LoggerFactorySetup(sp.GetRequiredService<ILoggerFactory>()))
            .ConfigureLoggers(loggers =>
            {
                loggers.ClearLoggers();
                loggers.AddLogger<AkkaLogBridge>();
            })
            .WithActors((system, registry) => registry.Register<ConfigurationActor>(NodeActors.Start(system, sp))));

        // Started last, stopped first: no login or admin request arrives once the actors stop.
        builder.Services.AddSingleton<NodeService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NodeService>());
        return new NodeHost(builder.Build());
    }

    /// <summary>Builds and starts a node; returns once its portal accepts logins and its management endpoint listens.</summary>
    public static async Task<NodeHost> StartAsync(Config.Config config, NodeStartOptions options, ILoggerFactory? loggerFactory, CancellationToken cancellationToken)
    {
        var node = Create(config, options, loggerFactory);
        await node.StartAsync(cancellationToken);
        return node;
    }

    /// <summary>Starts the node; on failure what did start is stopped again (the store closed) before the error surfaces.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _host.StartAsync(cancellationToken);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <summary>
    /// Completes once the node has received the cluster's configuration (a majority of the nodes is up and its owner
    /// serves) and reaches a serving owner of every LUN: logins then find the cluster's targets and commands are served.
    /// Until then its portal answers with the last configuration it had, and commands with NOT READY.
    /// </summary>
    public async Task WaitReadyAsync(CancellationToken cancellationToken = default)
    {
        await _host.Services.GetRequiredService<ClusterConfigurationView>().Loaded.WaitAsync(cancellationToken);
        var configuration = await _host.Services.GetRequiredService<IRequiredActor<ConfigurationActor>>().GetAsync(cancellationToken);
        while (!(await configuration.Ask<ConfigurationActor.Readiness>(ConfigurationActor.GetReadiness.Instance, AskTimeout, cancellationToken)).Ready)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken);
        }
    }

    /// <summary>Completes once the node has been told to stop (SIGTERM, Ctrl-C, or its actor system ended) and has stopped.</summary>
    public async Task WaitForShutdownAsync(CancellationToken cancellationToken = default)
    {
        await _host.WaitForShutdownAsync(cancellationToken);
        if (Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _host.Dispose();
        }
    }

    /// <summary>Closes the management endpoint, ends sessions, stops every actor, then flushes and closes the store. Safe to call twice.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        try
        {
            await _host.StopAsync();
        }
        finally
        {
            _host.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>A dispatcher named in the node's settings must exist in its akka section (or Akka's defaults), or no actor could use it.</summary>
    private static void RequireDispatcher(AkkaConfig akka, string key, string id)
    {
        if (!akka.WithFallback(AkkaConfigurationFactory.Default()).HasPath(id))
        {
            throw new NodeConfigurationException($"key '{key}': the akka section configures no dispatcher '{id}'");
        }
    }

    private static void ConfigureLogging(HostApplicationBuilder builder, ILoggerFactory? loggerFactory)
    {
        builder.Logging.ClearProviders();

        // A node that cannot start says why in one line (the daemon prints the error); the host's own
        // "failed to start" record would repeat it with a stack trace.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
        if (loggerFactory is not null)
        {
            builder.Services.Replace(ServiceDescriptor.Singleton(loggerFactory));
            return;
        }

        builder.Logging
            .SetMinimumLevel(Environment.GetEnvironmentVariable("ISCSI_CLUSTER_LOG_LEVEL") is { } level && Enum.TryParse<LogLevel>(level, true, out var parsed) ? parsed : LogLevel.Information)
            .AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "yyyy-MM-dd HH:mm:ss.fff ";
                options.UseUtcTimestamp = true;
            });
    }
}
