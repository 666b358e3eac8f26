using IscsiCluster.Scsi;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// A logical unit's own state (persistent reservations with APTPL, and later mode pages)
/// kept in the node's store beside its blocks, synced before the command that changed it
/// completes.
/// </summary>
public sealed class StoreUnitState(BlockStore store, ulong volumeId) : IUnitStateStore
{
    /// <summary>The metadata key prefix of one unit's state.</summary>
    public static string Prefix(ulong volumeId) => $"unit/{volumeId:x15}/";

    private string Key(string key) => Prefix(volumeId) + key;

    public byte[]? Load(string key) => store.TryGetMetadata(Key(key), out var value) ? value : null;

    public void Save(string key, ReadOnlySpan<byte> value) => store.PutMetadata(Key(key), value, sync: true);

    public void Delete(string key) => store.DeleteMetadata(Key(key), sync: true);
}
