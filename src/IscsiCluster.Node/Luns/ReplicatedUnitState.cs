using System.Buffers.Binary;
using System.Text;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Scsi;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// A replicated LUN's own state (persistent reservations, changed mode pages, the unit attentions owed to each nexus),
/// kept in the state region at the start of its replicated address space (<see cref="ReplicatedLayout"/>) and
/// replicated with its blocks, so every owner sees what the last one saved. Saving writes the whole region's contents
/// as one write with FUA; the LUN actor holds the answer of the command or task management function that saved until
/// that write is on a majority (<see cref="TakePendingWrite"/>). Nothing is written before the owner has read the region
/// (<see cref="Reload"/>): a write then would replace what the last owner saved with the little this one holds so far;
/// what the unit saves meanwhile stays here and is replaced by the region's contents, which the unit then reads back.
/// <code>
///   count (4), then per entry: key length (2), key (UTF-8), value length (4), value
/// </code>
/// </summary>
public sealed class ReplicatedUnitState(BlockStore store, ulong volumeId, Func<ReplicatedVolume> volume) : IUnitStateStore
{
    private readonly SortedDictionary<string, byte[]> _values = new(StringComparer.Ordinal);
    private Task? _pending;
    private bool _loaded;

    /// <summary>Every owner of the LUN reads what the last one saved.</summary>
    public bool KeepsStateAcrossOwners => true;

    public byte[]? Load(string key) => _values.TryGetValue(key, out var value) ? value : null;

    public void Save(string key, ReadOnlySpan<byte> value)
    {
        _values[key] = value.ToArray();
        if (_loaded)
        {
            Write();
        }
    }

    public void Delete(string key)
    {
        if (_values.Remove(key) && _loaded)
        {
            Write();
        }
    }

    /// <summary>Reads the region from the owner's own replica (once it serves: the replica then holds every acknowledged write).</summary>
    public void Reload()
    {
        _loaded = true;
        _values.Clear();
        var header = new byte[4];
        store.Read(volumeId, 0, header);
        var count = BinaryPrimitives.ReadInt32BigEndian(header);
        if (count <= 0)
        {
            return;
        }

        var region = new byte[ReplicatedLayout.StateRegionBytes];
        store.Read(volumeId, 0, region);
        var at = 4;
        for (var i = 0; i < count; i++)
        {
            var keyLength = BinaryPrimitives.ReadUInt16BigEndian(region.AsSpan(at));
            var key = Encoding.UTF8.GetString(region, at + 2, keyLength);
            at += 2 + keyLength;
            var valueLength = BinaryPrimitives.ReadInt32BigEndian(region.AsSpan(at));
            _values[key] = region.AsSpan(at + 4, valueLength).ToArray();
            at += 4 + valueLength;
        }
    }

    /// <summary>The replicated write of the last change not yet handed to the actor; null when there is none.</summary>
    public Task? TakePendingWrite()
    {
        var pending = _pending;
        _pending = null;
        return pending;
    }

    private void Write()
    {
        var length = 4 + _values.Sum(v => 2 + Encoding.UTF8.GetByteCount(v.Key) + 4 + v.Value.Length);
        if (length > ReplicatedLayout.StateRegionBytes)
        {
            throw new InvalidOperationException($"the unit's state ({length} bytes) does not fit its {ReplicatedLayout.StateRegionBytes}-byte region");
        }

        var region = new byte[length];
        BinaryPrimitives.WriteInt32BigEndian(region, _values.Count);
        var at = 4;
        foreach (var (key, value) in _values)
        {
            var keyLength = Encoding.UTF8.GetBytes(key, region.AsSpan(at + 2));
            BinaryPrimitives.WriteUInt16BigEndian(region.AsSpan(at), (ushort)keyLength);
            at += 2 + keyLength;
            BinaryPrimitives.WriteInt32BigEndian(region.AsSpan(at), value.Length);
            value.CopyTo(region.AsSpan(at + 4));
            at += 4 + value.Length;
        }

        _pending = volume().Write(0, region, fua: true);
    }
}
