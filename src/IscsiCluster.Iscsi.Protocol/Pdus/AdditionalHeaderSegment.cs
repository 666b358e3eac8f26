using System.Buffers.Binary;

namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Additional Header Segments (RFC 7143 11.2.2), used only by the SCSI Command PDU:
/// <code>
///  0| AHSLength                     | AHSType       | AHS-specific  |
///  4/ AHS-specific ...                                              /
/// </code>
/// AHSLength counts the bytes after AHSType (so it includes the byte at offset 3) and excludes
/// padding; each AHS is padded to a multiple of 4 bytes.
/// </summary>
internal static class AdditionalHeaderSegment
{
    public const int LengthOffset = 0;
    public const int TypeOffset = 2;
    public const int ReservedOffset = 3;
    public const int PayloadOffset = 4;

    /// <summary>The bytes before AHS-specific (AHSLength and AHSType).</summary>
    public const int FixedPartLength = 3;

    /// <summary>RFC 7143 11.2.2.3: Extended CDB AHS.</summary>
    public const byte ExtendedCdbType = 1;

    /// <summary>RFC 7143 11.2.2.4: Bidirectional Read Expected Data Transfer Length AHS.</summary>
    public const byte BidirectionalReadLengthType = 2;

    /// <summary>AHSLength of the bidirectional AHS: one reserved byte and a 4-byte length.</summary>
    public const ushort BidirectionalReadLengthAhsLength = 5;

    public static int TotalLength(ushort ahsLength) => BasicHeaderSegment.Padded(FixedPartLength + ahsLength);

    public static void WriteHeader(Span<byte> ahs, ushort ahsLength, byte type)
    {
        BinaryPrimitives.WriteUInt16BigEndian(ahs[LengthOffset..], ahsLength);
        ahs[TypeOffset] = type;
        ahs[ReservedOffset] = 0;
    }
}
