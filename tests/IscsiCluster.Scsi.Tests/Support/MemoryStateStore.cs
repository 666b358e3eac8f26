using IscsiCluster.Scsi;

namespace IscsiCluster.Scsi.Tests.Support;

/// <summary>An in-memory <see cref="IUnitStateStore"/>: what a node's replicated store would keep across a restart.</summary>
internal sealed class MemoryStateStore : IUnitStateStore
{
    public Dictionary<string, byte[]> Values { get; } = [];

    public int Saves { get; private set; }

    /// <summary>Deletes that removed a value.</summary>
    public int Deletes { get; private set; }

    /// <summary>True to stand for a cluster's store, which every owner of the LUN reads (a move is no power loss).</summary>
    public bool KeepsStateAcrossOwners { get; init; }

    public byte[]? Load(string key) => Values.TryGetValue(key, out var value) ? value : null;

    public void Save(string key, ReadOnlySpan<byte> value)
    {
        Values[key] = value.ToArray();
        Saves++;
    }

    public void Delete(string key)
    {
        if (Values.Remove(key))
        {
            Deletes++;
        }
    }
}
