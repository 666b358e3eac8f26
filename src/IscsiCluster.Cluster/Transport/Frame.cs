using System.Buffers;
using System.Buffers.Binary;
using IscsiCluster.Network;

namespace IscsiCluster.Cluster.Transport;

/// <summary>
/// The frames nodes exchange on their data connections. Every frame is checked end to end, so a
/// damaged or misframed stream ends the connection instead of delivering wrong block data.
/// <code>
///  0        2        3        4                 8                    8+N            12+N
///  +--------+--------+--------+-----------------+-- payload ... ------+--------------+
///  | magic  | version| kind   | payload length N|   N bytes           | CRC32C       |
///  | "IC"   |   1    |        | (big endian)    |                     | (of 0..8+N)  |
///  +--------+--------+--------+-----------------+---------------------+--------------+
/// </code>
/// The CRC32C trails the payload, so a sender writes the payload once, straight into the connection's
/// buffer, and checksums it on the way.
/// </summary>
public static class Frame
{
    public const int HeaderLength = 8;
    public const int TrailerLength = Crc32C.DigestLength;
    public const byte Version = 1;

    private const ushort Magic = 0x4943;
    private const int MagicOffset = 0;
    private const int VersionOffset = 2;
    private const int KindOffset = 3;
    private const int LengthOffset = 4;

    /// <summary>Writes <paramref name="frame"/> (header, payload, checksum) to <paramref name="output"/>.</summary>
    /// <exception cref="InvalidOperationException">The frame wrote more or fewer bytes than it declared.</exception>
    public static void Write(IBufferWriter<byte> output, IOutgoingFrame frame)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(frame);
        var writer = new ChecksummingWriter(output);
        var header = writer.GetSpan(HeaderLength);
        BinaryPrimitives.WriteUInt16BigEndian(header[MagicOffset..], Magic);
        header[VersionOffset] = Version;
        header[KindOffset] = frame.Kind;
        BinaryPrimitives.WriteInt32BigEndian(header[LengthOffset..], frame.PayloadLength);
        writer.Advance(HeaderLength);

        frame.WritePayload(writer);
        if (writer.Written != HeaderLength + frame.PayloadLength)
        {
            throw new InvalidOperationException($"a frame of kind {frame.Kind} declared {frame.PayloadLength} payload bytes and wrote {writer.Written - HeaderLength}");
        }

        Crc32C.WriteDigest(writer.Crc, output.GetSpan(TrailerLength));
        output.Advance(TrailerLength);
    }

    /// <summary>
    /// Takes one frame from the front of <paramref name="buffer"/>: Complete (and <paramref name="buffer"/>
    /// moves past it), Incomplete (nothing consumed), or Error when the stream cannot be a frame stream or a
    /// frame is damaged. The payload length is checked against <paramref name="maxPayload"/> before its bytes
    /// are awaited.
    /// </summary>
    public static FrameReadStatus TryRead(ref ReadOnlySequence<byte> buffer, int maxPayload, out byte kind, out ReadOnlySequence<byte> payload, out string? error)
    {
        kind = 0;
        payload = default;
        error = null;
        if (buffer.Length < HeaderLength)
        {
            return FrameReadStatus.Incomplete;
        }

        Span<byte> header = stackalloc byte[HeaderLength];
        buffer.Slice(0, HeaderLength).CopyTo(header);
        if (BinaryPrimitives.ReadUInt16BigEndian(header[MagicOffset..]) != Magic || header[VersionOffset] != Version)
        {
            error = "not a data connection frame (bad magic or version)";
            return FrameReadStatus.Error;
        }

        var length = BinaryPrimitives.ReadInt32BigEndian(header[LengthOffset..]);
        if (length < 0 || length > maxPayload)
        {
            error = $"a frame of {length} bytes is over the limit of {maxPayload}";
            return FrameReadStatus.Error;
        }

        var total = (long)HeaderLength + length + TrailerLength;
        if (buffer.Length < total)
        {
            return FrameReadStatus.Incomplete;
        }

        Span<byte> trailer = stackalloc byte[TrailerLength];
        buffer.Slice(HeaderLength + length, TrailerLength).CopyTo(trailer);
        if (Crc32C.Compute(buffer.Slice(0, HeaderLength + length)) != Crc32C.ReadDigest(trailer))
        {
            error = "a frame failed its CRC32C check";
            return FrameReadStatus.Error;
        }

        kind = header[KindOffset];
        payload = buffer.Slice(HeaderLength, length);
        buffer = buffer.Slice(total);
        return FrameReadStatus.Complete;
    }

    /// <summary>Passes writes through to the connection's buffer and checksums them as they are committed.</summary>
    private sealed class ChecksummingWriter(IBufferWriter<byte> inner) : IBufferWriter<byte>
    {
        private Memory<byte> _lent;
        private uint _state = Crc32C.InitialState;

        public long Written { get; private set; }

        public uint Crc => Crc32C.Finish(_state);

        public void Advance(int count)
        {
            _state = Crc32C.Update(_state, _lent.Span[..count]);
            inner.Advance(count);
            Written += count;
            _lent = default;
        }

        public Memory<byte> GetMemory(int sizeHint = 0) => _lent = inner.GetMemory(sizeHint);

        public Span<byte> GetSpan(int sizeHint = 0) => (_lent = inner.GetMemory(sizeHint)).Span;
    }
}

/// <summary>What <see cref="Frame.TryRead"/> found.</summary>
public enum FrameReadStatus
{
    Incomplete,
    Complete,
    Error,
}

/// <summary>A message to send as one frame: its kind, its exact payload length, and how to write the payload.</summary>
public interface IOutgoingFrame
{
    /// <summary>What the payload is, for the receiver's dispatch.</summary>
    byte Kind { get; }

    /// <summary>The payload's length in bytes; <see cref="WritePayload"/> writes exactly this many.</summary>
    int PayloadLength { get; }

    /// <summary>Writes the payload (called once, on the sending connection's writer).</summary>
    void WritePayload(IBufferWriter<byte> output);
}
