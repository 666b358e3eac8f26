using System.Buffers.Binary;
using System.Security.Cryptography;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// Ids that never change: a target's (its controller's identity), and the volumes of the LUNs
/// seeded from HOCON, chosen once and kept in the store's metadata (a store written before the
/// configuration was stored keeps its volumes this way). A volume id is the LUN's cluster-wide
/// id, from which INQUIRY's serial number and NAA designator derive.
/// </summary>
public sealed class LunProvisioner(BlockStore store)
{
    // The id is 60 bits so that an NAA "locally assigned" designator (4-bit NAA + 60 bits) holds it whole.
    private const ulong IdMask = 0x0FFF_FFFF_FFFF_FFFFUL;
    private const int RecordLength = sizeof(ulong) + sizeof(int);

    /// <summary>The volume of a LUN seeded from HOCON: created thin on first use, adopted (and checked) when the store has it.</summary>
    public ProvisionedLun Provision(string targetName, LunSettings lun)
    {
        var key = $"lun/{targetName.ToLowerInvariant()}/{lun.Lun}";
        if (store.TryGetMetadata(key, out var record) && record.Length == RecordLength)
        {
            var id = BinaryPrimitives.ReadUInt64BigEndian(record);
            var blockSize = BinaryPrimitives.ReadInt32BigEndian(record.AsSpan(sizeof(ulong)));
            if (blockSize != lun.BlockSize)
            {
                throw new NodeConfigurationException(
                    $"target {targetName} LUN {lun.Lun}: the store holds it with {blockSize}-byte blocks, the configuration asks for {lun.BlockSize}; a LUN's block size cannot change");
            }

            if (!store.TryGetVolume(id, out var volume))
            {
                store.CreateVolume(id, lun.SizeBytes);
            }
            else if (volume.SizeBytes > lun.SizeBytes)
            {
                throw new NodeConfigurationException(
                    $"target {targetName} LUN {lun.Lun}: the store holds {volume.SizeBytes} bytes, the configuration asks for {lun.SizeBytes}; shrinking a LUN would lose data");
            }
            else if (volume.SizeBytes < lun.SizeBytes)
            {
                store.ResizeVolume(id, lun.SizeBytes);
            }

            return new ProvisionedLun(id, lun.BlockSize, lun.SizeBytes / lun.BlockSize);
        }

        var newId = NewId();
        store.CreateVolume(newId, lun.SizeBytes);
        var fresh = new byte[RecordLength];
        BinaryPrimitives.WriteUInt64BigEndian(fresh, newId);
        BinaryPrimitives.WriteInt32BigEndian(fresh.AsSpan(sizeof(ulong)), lun.BlockSize);
        store.PutMetadata(key, fresh, sync: true);
        return new ProvisionedLun(newId, lun.BlockSize, lun.SizeBytes / lun.BlockSize);
    }

    /// <summary>A stable id for a target (its LUN 0 controller's identity).</summary>
    public ulong TargetId(string targetName)
    {
        var key = $"target/{targetName.ToLowerInvariant()}";
        if (store.TryGetMetadata(key, out var record) && record.Length == sizeof(ulong))
        {
            return BinaryPrimitives.ReadUInt64BigEndian(record);
        }

        var id = NewId();
        var fresh = new byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64BigEndian(fresh, id);
        store.PutMetadata(key, fresh, sync: true);
        return id;
    }

    /// <summary>A fresh cluster-wide volume id: random, never 0, within the 60 bits an NAA 3h designator holds.</summary>
    internal static ulong NewId()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BinaryPrimitives.ReadUInt64BigEndian(bytes) & IdMask;
        }
        while (id == 0);
        return id;
    }
}

/// <summary>A LUN's volume in the store.</summary>
public sealed record ProvisionedLun(ulong VolumeId, int BlockSize, long BlockCount);
