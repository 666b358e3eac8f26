using System.Text;
using System.Text.Json;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// Keeps the cluster configuration in the node's store, as one JSON document under one metadata
/// key: a RocksDB put is atomic, and it is synced before <see cref="Save"/> returns, so an admin
/// command that returned is never forgotten (ARCHITECTURE invariant 5).
/// </summary>
public sealed class ConfigurationStore(BlockStore store)
{
    /// <summary>The metadata key of the configuration document.</summary>
    public const string Key = "cluster/configuration";

    /// <summary>The stored configuration, or false when the store never held one.</summary>
    /// <exception cref="NodeConfigurationException">The stored document is damaged.</exception>
    public bool TryLoad(out ClusterConfiguration configuration)
    {
        configuration = ClusterConfiguration.Empty;
        if (!store.TryGetMetadata(Key, out var bytes))
        {
            return false;
        }

        try
        {
            configuration = AdminJson.DeserializeConfiguration(Encoding.UTF8.GetString(bytes));
            return true;
        }
        catch (JsonException e)
        {
            throw new NodeConfigurationException($"the configuration stored in {store.Directory} (key {Key}) is damaged: {e.Message}");
        }
    }

    /// <summary>Replaces the stored configuration; returns once it is synced to disk.</summary>
    public void Save(ClusterConfiguration configuration) =>
        store.PutMetadata(Key, Encoding.UTF8.GetBytes(AdminJson.Serialize(configuration)), sync: true);
}
