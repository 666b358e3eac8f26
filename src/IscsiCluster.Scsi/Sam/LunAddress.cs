using System.Buffers.Binary;

namespace IscsiCluster.Scsi.Sam;

/// <summary>
/// The 8-byte LUN field of SAM-5 4.7: single-level peripheral device addressing for
/// LUNs below 256 (4.7.7.2), flat space addressing below 16384 (4.7.7.4), and extended
/// flat space addressing (4.7.7.6, extended address method 2h) up to 2^24 - 1.
/// </summary>
public static class LunAddress
{
    /// <summary>The field length.</summary>
    public const int Length = 8;

    /// <summary>The largest LUN this encoding covers (extended flat space, 24 bits).</summary>
    public const ulong MaxLun = 0xFF_FFFF;

    private const ulong MaxPeripheralLun = 0xFF;
    private const ulong MaxFlatLun = 0x3FFF;
    private const byte PeripheralMethod = 0x00;           // ADDRESS METHOD 00b
    private const byte FlatMethod = 0x40;                 // ADDRESS METHOD 01b
    private const byte ExtendedFlatHeader = 0xD2;         // 11b, LENGTH 01b, EXTENDED ADDRESS METHOD 2h
    private const byte AddressMethodMask = 0xC0;

    /// <summary>True when <paramref name="lun"/> fits this encoding.</summary>
    public static bool IsEncodable(ulong lun) => lun <= MaxLun;

    /// <summary>Writes the 8-byte field of <paramref name="lun"/>.</summary>
    public static void Encode(ulong lun, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(lun, MaxLun);
        destination[..Length].Clear();
        if (lun <= MaxPeripheralLun)
        {
            destination[0] = PeripheralMethod;
            destination[1] = (byte)lun;
        }
        else if (lun <= MaxFlatLun)
        {
            destination[0] = (byte)(FlatMethod | (byte)(lun >> 8));
            destination[1] = (byte)lun;
        }
        else
        {
            destination[0] = ExtendedFlatHeader;
            destination[1] = (byte)(lun >> 16);
            destination[2] = (byte)(lun >> 8);
            destination[3] = (byte)lun;
        }
    }

    /// <summary>Decodes a field written by <see cref="Encode"/>; false for other address methods or multi-level LUNs.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> field, out ulong lun)
    {
        lun = 0;
        if (field.Length < Length)
        {
            return false;
        }

        var first = field[0];
        if (first == ExtendedFlatHeader)
        {
            lun = (ulong)field[1] << 16 | (ulong)field[2] << 8 | field[3];
            return BinaryPrimitives.ReadUInt32BigEndian(field[4..]) == 0;
        }

        var rest = BinaryPrimitives.ReadUInt16BigEndian(field[2..]) | BinaryPrimitives.ReadUInt32BigEndian(field[4..]);
        if (rest != 0)
        {
            return false;
        }

        switch (first & AddressMethodMask)
        {
            case PeripheralMethod when first == 0:
                lun = field[1];
                return true;
            case FlatMethod:
                lun = (ulong)(first & ~AddressMethodMask) << 8 | field[1];
                return true;
            default:
                return false;
        }
    }
}
