using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace IscsiCluster.Cluster.Transport;

/// <summary>
/// The first frame on a data connection: the caller says which cluster it belongs to, which node it is,
/// and which node it meant to call; the callee answers with the same frame about itself, or closes.
/// Frame kinds below <see cref="FirstUserKind"/> belong to the transport.
/// </summary>
internal sealed record Handshake(string ClusterName, int From, int To) : IOutgoingFrame
{
    public const byte HelloKind = 0;
    public const byte FirstUserKind = 16;
    private const int MaxNameLength = 256;

    public byte Kind => HelloKind;

    public int PayloadLength => sizeof(int) * 2 + sizeof(ushort) + Encoding.UTF8.GetByteCount(ClusterName);

    public void WritePayload(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(PayloadLength);
        BinaryPrimitives.WriteInt32BigEndian(span, From);
        BinaryPrimitives.WriteInt32BigEndian(span[4..], To);
        var length = Encoding.UTF8.GetBytes(ClusterName, span[10..]);
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)length);
        output.Advance(PayloadLength);
    }

    public static bool TryParse(byte kind, in ReadOnlySequence<byte> payload, out Handshake? handshake)
    {
        handshake = null;
        if (kind != HelloKind || payload.Length < 10 || payload.Length > 10 + MaxNameLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[(int)payload.Length];
        payload.CopyTo(bytes);
        var nameLength = BinaryPrimitives.ReadUInt16BigEndian(bytes[8..]);
        if (nameLength != bytes.Length - 10)
        {
            return false;
        }

        handshake = new Handshake(
            Encoding.UTF8.GetString(bytes[10..]),
            BinaryPrimitives.ReadInt32BigEndian(bytes),
            BinaryPrimitives.ReadInt32BigEndian(bytes[4..]));
        return true;
    }
}
