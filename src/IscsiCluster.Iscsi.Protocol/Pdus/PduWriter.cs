using System.Buffers;
using IscsiCluster.Network;
using Bhs = IscsiCluster.Iscsi.Protocol.Pdus.BasicHeaderSegment;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Serializes PDUs: BHS, AHS, header digest, data segment, padding, data digest (RFC 7143 11.1).
/// The data segment is copied once, straight into the output.
/// </summary>
public static class PduWriter
{
    /// <summary>Number of bytes <see cref="Write"/> produces for <paramref name="pdu"/>.</summary>
    public static int GetLength(IscsiPdu pdu, in PduWriteOptions options)
    {
        var dataLength = pdu.Data.Length;
        return Bhs.Length + pdu.AdditionalHeaderLength + (options.HeaderDigest ? Crc32C.DigestLength : 0)
            + Bhs.Padded(dataLength) + (options.DataDigest && dataLength > 0 ? Crc32C.DigestLength : 0);
    }

    /// <summary>
    /// Writes <paramref name="pdu"/> to <paramref name="output"/> and returns the bytes written. The caller
    /// keeps the data segment within the peer's MaxRecvDataSegmentLength.
    /// </summary>
    public static int Write(IBufferWriter<byte> output, IscsiPdu pdu, in PduWriteOptions options)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(pdu);
        var data = pdu.Data.Span;
        if (data.Length > Bhs.MaxDataSegmentLength)
        {
            throw new ArgumentException($"A data segment of {data.Length} bytes does not fit the 24-bit DataSegmentLength.", nameof(pdu));
        }

        var ahsLength = pdu.AdditionalHeaderLength;
        var headerLength = Bhs.Length + ahsLength;
        var headerWithDigest = headerLength + (options.HeaderDigest ? Crc32C.DigestLength : 0);
        var header = output.GetSpan(headerWithDigest)[..headerWithDigest];
        header.Clear();
        pdu.WriteHeader(header);
        Bhs.WriteLengths(header, ahsLength, data.Length);
        Bhs.WriteUInt32(header, Bhs.InitiatorTaskTagOffset, pdu.InitiatorTaskTag);
        pdu.WriteAdditionalHeaders(header[Bhs.Length..headerLength]);
        if (options.HeaderDigest)
        {
            Crc32C.WriteDigest(Crc32C.Compute(header[..headerLength]), header[headerLength..]);
        }

        output.Advance(headerWithDigest);
        if (data.IsEmpty)
        {
            return headerWithDigest;
        }

        for (var remaining = data; !remaining.IsEmpty;)
        {
            var destination = output.GetSpan();
            var count = Math.Min(destination.Length, remaining.Length);
            remaining[..count].CopyTo(destination);
            output.Advance(count);
            remaining = remaining[count..];
        }

        var paddingLength = Bhs.Padded(data.Length) - data.Length;
        var tailLength = paddingLength + (options.DataDigest ? Crc32C.DigestLength : 0);
        if (tailLength > 0)
        {
            var tail = output.GetSpan(tailLength)[..tailLength];
            tail[..paddingLength].Clear();
            if (options.DataDigest)
            {
                Crc32C.WriteDigest(Crc32C.Compute(data, tail[..paddingLength]), tail[paddingLength..]);
            }

            output.Advance(tailLength);
        }

        return headerWithDigest + data.Length + tailLength;
    }

    /// <summary>Serializes <paramref name="pdu"/> into a new array (tests, rare control PDUs).</summary>
    public static byte[] ToArray(IscsiPdu pdu, in PduWriteOptions options)
    {
        var writer = new ArrayBufferWriter<byte>(GetLength(pdu, options));
        Write(writer, pdu, options);
        return writer.WrittenSpan.ToArray();
    }
}
