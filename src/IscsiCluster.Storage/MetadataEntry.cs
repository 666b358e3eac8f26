namespace IscsiCluster.Storage;

/// <summary>One entry of the block store's metadata area.</summary>
public sealed record MetadataEntry(string Key, byte[] Value);
