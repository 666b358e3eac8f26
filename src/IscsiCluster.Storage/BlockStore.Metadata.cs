using System.Diagnostics.CodeAnalysis;

namespace IscsiCluster.Storage;

/// <summary>
/// The metadata area: small named values other layers keep beside the volumes in the same
/// database (configuration, persistent-reservation state). Names are any non-empty string; they
/// are listed in the ordinal order of their UTF-8 bytes.
/// </summary>
public sealed partial class BlockStore
{
    public void PutMetadata(string key, ReadOnlySpan<byte> value, bool sync)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        _db.Put(StoreKeys.MetadataKey(key), value, sync);
    }

    public bool TryGetMetadata(string key, [NotNullWhen(true)] out byte[]? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        value = _db.Get(StoreKeys.MetadataKey(key));
        return value is not null;
    }

    /// <summary>Removes an entry (a no-op when it does not exist).</summary>
    public void DeleteMetadata(string key, bool sync)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ThrowIfDisposed();
        _db.Delete(StoreKeys.MetadataKey(key), sync);
    }

    /// <summary>Every entry whose name starts with <paramref name="prefix"/> (all of them for ""), in name order.</summary>
    public IReadOnlyList<MetadataEntry> ListMetadata(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        ThrowIfDisposed();
        var start = StoreKeys.MetadataKey(prefix);
        var end = StoreKeys.PrefixEnd(start);
        var entries = new List<MetadataEntry>();
        _db.ScanRange(start, end, ref entries, static (ref List<MetadataEntry> list, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) =>
            list.Add(new MetadataEntry(StoreKeys.MetadataName(key), value.ToArray())));
        return entries;
    }
}
