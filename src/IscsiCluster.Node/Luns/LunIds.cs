using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// The cluster-wide ids of LUNs and targets. A LUN's id names its volume on every replica, its owner's shard, and its
/// identity in INQUIRY (NAA designator, serial number), so it is chosen once, at random, when the LUN is created. A
/// target's id (its LUN 0 controller's identity) derives from its name, so every node computes the same one.
/// </summary>
public static class LunIds
{
    // 60 bits, so that an NAA "locally assigned" designator (4-bit NAA + 60 bits) holds the id whole.
    private const ulong IdMask = 0x0FFF_FFFF_FFFF_FFFFUL;

    // Ids up to this one are kept for the cluster's own volumes (the configuration's is 1).
    private const ulong ReservedIds = 0xFFFF;

    /// <summary>A fresh LUN id: random, above the reserved ids.</summary>
    public static ulong NewId()
    {
        Span<byte> bytes = stackalloc byte[sizeof(ulong)];
        ulong id;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            id = BinaryPrimitives.ReadUInt64BigEndian(bytes) & IdMask;
        }
        while (id <= ReservedIds);
        return id;
    }

    /// <summary>A target's id, from its iSCSI name (names compare case-insensitively, RFC 7143 4.2.7.6).</summary>
    public static ulong TargetId(string targetName)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(targetName.ToLowerInvariant()), hash);
        var id = BinaryPrimitives.ReadUInt64BigEndian(hash) & IdMask;
        return id <= ReservedIds ? id + ReservedIds + 1 : id;
    }
}
