using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// The node's block store: every replica this node keeps, and its copy of the cluster's configuration. It is the first
/// service the host starts and the last it stops, so the store is open before any actor exists and is flushed and closed
/// only once every actor has stopped.
/// </summary>
internal sealed class NodeStorage(NodeSettings settings, BlockStoreOptions storeOptions, NodeStartOptions start, ILoggerFactory loggerFactory)
    : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("IscsiCluster.Node");
    private BlockStore? _store;

    /// <summary>The data directory the store lives in.</summary>
    public string DataDirectory { get; } = Path.GetFullPath(start.DataDirectory ?? settings.DataDirectory);

    public BlockStore Store => _store ?? throw new InvalidOperationException("the node's store is not open");

    /// <summary>This node's copy of the cluster's configuration.</summary>
    public ConfigurationStore Configurations => new(Store);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        NodeLog.Starting(_logger, settings.Name, DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        try
        {
            _store = BlockStore.Open(DataDirectory, storeOptions);
        }
        catch (RocksDbSharp.RocksDbException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"the data directory {DataDirectory} is in use by another process (RocksDB: {e.Message})", e);
        }

        NodeLog.StoreOpened(_logger, BlockStore.RocksDbVersion, BlockStore.RocksDbLibraryPath);
        if (Configurations.HoldsSingleNodeConfiguration)
        {
            NodeLog.SingleNodeConfigurationIgnored(_logger);
        }

        return Task.CompletedTask;
    }

    /// <summary>Flushes and closes the store (the host stops this service after the actor system).</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _store, null) is { } store)
        {
            store.Flush();
            store.Dispose();
            NodeLog.Stopped(_logger, settings.Name);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// The configuration a new cluster starts from when this node first owns its configuration: the targets of this
    /// node's HOCON file.
    /// </summary>
    public Admin.Contracts.Model.ClusterConfiguration Seed()
    {
        var seeded = ConfigurationSeed.FromSettings(settings.Targets);
        NodeLog.ConfigurationSeeded(_logger, seeded.Targets.Count);
        return seeded;
    }
}
