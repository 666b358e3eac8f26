using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// The node's store and what lives in it: the block store, the volumes of LUNs and the stored
/// configuration of targets. It is the first service the host starts and the last it stops, so the
/// store is open before any actor exists and is flushed and closed only once every actor (a LUN
/// commits its staged writes when it stops) has stopped.
/// </summary>
internal sealed class NodeStorage(NodeSettings settings, AdminSettings admin, BlockStoreOptions storeOptions, NodeStartOptions start, ILoggerFactory loggerFactory)
    : IHostedService
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("IscsiCluster.Node");
    private Opened? _opened;

    /// <summary>The data directory the store lives in.</summary>
    public string DataDirectory { get; } = Path.GetFullPath(start.DataDirectory ?? settings.DataDirectory);

    public BlockStore Store => Open.Store;

    public LunProvisioner Provisioner => Open.Provisioner;

    public LunVolumes Volumes => Open.Volumes;

    public ConfigurationStore Configurations => Open.Configurations;

    /// <summary>The configuration of targets the node starts with (stored, or seeded from HOCON).</summary>
    public ClusterConfiguration InitialConfiguration => Open.Initial;

    private Opened Open => _opened ?? throw new InvalidOperationException("the node's store is not open");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        NodeLog.Starting(_logger, settings.Name, DataDirectory);
        Directory.CreateDirectory(DataDirectory);
        BlockStore store;
        try
        {
            store = BlockStore.Open(DataDirectory, storeOptions);
        }
        catch (RocksDbSharp.RocksDbException e) when (e.Message.Contains("lock", StringComparison.OrdinalIgnoreCase))
        {
            throw new IOException($"the data directory {DataDirectory} is in use by another process (RocksDB: {e.Message})", e);
        }

        try
        {
            NodeLog.StoreOpened(_logger, BlockStore.RocksDbVersion, BlockStore.RocksDbLibraryPath);
            var provisioner = new LunProvisioner(store);
            var volumes = new LunVolumes(store, admin.ImportChunkSize, loggerFactory.CreateLogger("IscsiCluster.Node.Volumes"));
            var configurations = new ConfigurationStore(store);
            var initial = LoadOrSeed(configurations, provisioner);
            volumes.DeleteOrphans(initial);
            volumes.MatchSizes(initial);
            _opened = new Opened(store, provisioner, volumes, configurations, initial);
        }
        catch
        {
            store.Dispose();
            throw;
        }

        return Task.CompletedTask;
    }

    /// <summary>Flushes and closes the store (the host stops this service after the actor system).</summary>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _opened, null) is { } opened)
        {
            opened.Store.Flush();
            opened.Store.Dispose();
            NodeLog.Stopped(_logger, settings.Name);
        }

        return Task.CompletedTask;
    }

    /// <summary>The stored configuration; on a store that holds none, the HOCON targets, stored at once.</summary>
    private ClusterConfiguration LoadOrSeed(ConfigurationStore store, LunProvisioner provisioner)
    {
        if (store.TryLoad(out var stored))
        {
            NodeLog.ConfigurationLoaded(_logger, stored.Targets.Count, stored.Accounts.Count);
            if (settings.Targets.Count > 0)
            {
                NodeLog.ConfiguredTargetsIgnored(_logger);
            }

            return stored;
        }

        var seeded = ConfigurationSeed.FromSettings(settings.Targets, provisioner);
        store.Save(seeded);
        NodeLog.ConfigurationSeeded(_logger, seeded.Targets.Count);
        return seeded;
    }

    private sealed record Opened(BlockStore Store, LunProvisioner Provisioner, LunVolumes Volumes, ConfigurationStore Configurations, ClusterConfiguration Initial);
}
