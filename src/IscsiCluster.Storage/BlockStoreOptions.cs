using IscsiCluster.Storage.RocksDb;

namespace IscsiCluster.Storage;

/// <summary>
/// Settings of a node's block store; the section <c>iscsi-cluster.storage</c> of reference.conf
/// documents each one with the same defaults.
/// </summary>
public sealed record BlockStoreOptions
{
    /// <summary>Chunk size of volumes created without an explicit layout (bytes, power of two).</summary>
    public int DefaultChunkSize { get; init; } = 4096;

    /// <summary>Chunks per extent of volumes created without an explicit layout (16384 x 4 KiB = 64 MiB).</summary>
    public int DefaultChunksPerExtent { get; init; } = 16384;

    /// <summary>The RocksDB engine settings.</summary>
    public RocksDbOptions Database { get; init; } = new();

    /// <summary>The layout given to volumes created without one.</summary>
    public VolumeLayout DefaultLayout => new(DefaultChunkSize, DefaultChunksPerExtent);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        _ = DefaultLayout; // VolumeLayout's constructor checks the chunk size and extent length.
        ArgumentNullException.ThrowIfNull(Database);
        Database.Validate();
    }
}
