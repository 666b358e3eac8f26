using System.Text;

namespace IscsiCluster.Iscsi.Protocol.Text;

/// <summary>Encodes pairs as "key=value\0" UTF-8 (RFC 7143 6.1).</summary>
public static class TextEncoder
{
    /// <summary>The encoded length of <paramref name="pairs"/>.</summary>
    public static int GetByteCount(IEnumerable<TextKeyValue> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var count = 0;
        foreach (var (key, value) in pairs)
        {
            count += Encoding.UTF8.GetByteCount(key) + 1 + Encoding.UTF8.GetByteCount(value) + 1;
        }

        return count;
    }

    /// <summary>Encodes <paramref name="pairs"/> into a new exact-size array.</summary>
    public static byte[] Encode(IEnumerable<TextKeyValue> pairs)
    {
        var list = pairs as IReadOnlyCollection<TextKeyValue> ?? pairs.ToList();
        var result = new byte[GetByteCount(list)];
        var span = result.AsSpan();
        foreach (var (key, value) in list)
        {
            span = span[Encoding.UTF8.GetBytes(key, span)..];
            span[0] = (byte)'=';
            span = span[(1 + Encoding.UTF8.GetBytes(value, span[1..]))..];
            span[0] = 0;
            span = span[1..];
        }

        return result;
    }

    /// <summary>
    /// Cuts encoded text into data segments of at most <paramref name="maxSegmentLength"/> bytes, for a
    /// Login or Text Response sent with the C bit on all but the last (RFC 7143 6.1: a pair may span PDUs).
    /// </summary>
    public static IEnumerable<ReadOnlyMemory<byte>> Segment(ReadOnlyMemory<byte> text, int maxSegmentLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxSegmentLength);
        if (text.IsEmpty)
        {
            yield return text;
            yield break;
        }

        for (var offset = 0; offset < text.Length; offset += maxSegmentLength)
        {
            yield return text.Slice(offset, Math.Min(maxSegmentLength, text.Length - offset));
        }
    }
}
