using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;

namespace IscsiCluster.Network;

/// <summary>
/// CRC32C (Castagnoli): the iSCSI header and data digest (RFC 7143 13.1, RFC 3720 Appendix B.4) and the
/// checksum of the frames nodes exchange.
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> uses the SSE4.2 or ARMv8 CRC32 instruction when the
/// processor has one. On the wire the digest is sent least significant byte first.
/// </summary>
public static class Crc32C
{
    /// <summary>Length of a digest on the wire.</summary>
    public const int DigestLength = 4;

    /// <summary>The running state a checksum starts from (see <see cref="Update"/>).</summary>
    public const uint InitialState = 0xffff_ffff;

    /// <summary>The CRC32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Update(InitialState, data);

    /// <summary>
    /// Adds <paramref name="data"/> to a running checksum that started at <see cref="InitialState"/>; <see cref="Finish"/>
    /// turns the running state into the CRC32C of everything added. For data checksummed as it is written.
    /// </summary>
    public static uint Update(uint state, ReadOnlySpan<byte> data)
    {
        while (data.Length >= sizeof(ulong))
        {
            state = BitOperations.Crc32C(state, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data[sizeof(ulong)..];
        }

        foreach (var b in data)
        {
            state = BitOperations.Crc32C(state, b);
        }

        return state;
    }

    /// <summary>The CRC32C of a possibly multi-segment sequence.</summary>
    public static uint Compute(in ReadOnlySequence<byte> data)
    {
        var state = InitialState;
        foreach (var segment in data)
        {
            state = Update(state, segment.Span);
        }

        return ~state;
    }

    /// <summary>The CRC32C of <paramref name="first"/> followed by <paramref name="second"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> first, ReadOnlySpan<byte> second) => ~Update(Update(InitialState, first), second);

    /// <summary>The CRC32C of what a running <paramref name="state"/> has seen.</summary>
    public static uint Finish(uint state) => ~state;

    /// <summary>Writes a digest in wire order (little endian, RFC 3720 B.4).</summary>
    public static void WriteDigest(uint crc, Span<byte> destination) => BinaryPrimitives.WriteUInt32LittleEndian(destination, crc);

    /// <summary>Reads a digest in wire order.</summary>
    public static uint ReadDigest(ReadOnlySpan<byte> source) => BinaryPrimitives.ReadUInt32LittleEndian(source);
}
