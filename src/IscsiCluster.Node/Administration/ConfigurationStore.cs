using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// This node's copy of the cluster's configuration and its version, in the node's store: what the node serves from at
/// start, until the cluster publishes a newer version. The configuration itself belongs to the cluster
/// (<see cref="ConfigurationOwner"/>); this copy is never proposed back.
/// </summary>
public sealed class ConfigurationStore(BlockStore store)
{
    public const string Key = "cluster/configuration";
    public const string VersionKey = "cluster/configuration-version";

    /// <summary>
    /// The copy and its version; false when the node has none. A configuration stored without a version was written by
    /// a single-node release, whose volumes this version does not read: it is ignored (the node logs it).
    /// </summary>
    public bool TryLoad(out ClusterConfiguration configuration, out long version)
    {
        configuration = ClusterConfiguration.Empty;
        version = 0;
        if (!store.TryGetMetadata(Key, out var bytes) || !store.TryGetMetadata(VersionKey, out var versionBytes) || versionBytes.Length != 8)
        {
            return false;
        }

        try
        {
            configuration = AdminJson.DeserializeConfiguration(Encoding.UTF8.GetString(bytes));
            version = BinaryPrimitives.ReadInt64BigEndian(versionBytes);
            return true;
        }
        catch (JsonException e)
        {
            throw new NodeConfigurationException($"the configuration stored in {store.Directory} (key {Key}) is damaged: {e.Message}");
        }
    }

    /// <summary>Whether the store holds a configuration of the single-node release (no version).</summary>
    public bool HoldsSingleNodeConfiguration => store.TryGetMetadata(Key, out _) && !store.TryGetMetadata(VersionKey, out _);

    public void Save(ClusterConfiguration configuration, long version)
    {
        var versionBytes = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(versionBytes, version);
        store.PutMetadata(Key, Encoding.UTF8.GetBytes(AdminJson.Serialize(configuration)), sync: false);
        store.PutMetadata(VersionKey, versionBytes, sync: true);
    }
}
