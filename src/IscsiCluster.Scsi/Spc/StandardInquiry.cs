using System.Buffers.Binary;
using System.Text;

namespace IscsiCluster.Scsi.Spc;

/// <summary>Standard INQUIRY data (SPC-4 6.4.2, table 140).</summary>
internal static class StandardInquiry
{
    /// <summary>The length this target returns: through the eight VERSION DESCRIPTOR fields and the reserved bytes after them.</summary>
    public const int Length = 96;

    private const byte VersionSpc4 = 0x06;
    private const byte HiSup = 0x10;                      // byte 3: hierarchical LUN addressing
    private const byte ResponseDataFormat = 0x02;         // byte 3: the only format SPC-4 defines
    private const byte TpgsImplicit = 0x10;               // byte 5: TPGS 01b, implicit ALUA only
    private const byte MultiPort = 0x10;                  // byte 6: MULTIP, every node is a target port
    private const byte CmdQue = 0x02;                     // byte 7: full task management model
    private const int VendorOffset = 8;
    private const int ProductOffset = 16;
    private const int RevisionOffset = 32;
    private const int VersionDescriptorOffset = 58;

    public static byte[] Build(byte peripheral, LogicalUnitIdentity identity, IReadOnlyList<ushort> versionDescriptors)
    {
        var data = new byte[Length];
        data[0] = peripheral;
        data[2] = VersionSpc4;
        data[3] = HiSup | ResponseDataFormat;
        data[4] = Length - 5;                             // ADDITIONAL LENGTH: bytes after byte 4
        data[5] = TpgsImplicit;
        data[6] = MultiPort;
        data[7] = CmdQue;
        WriteAscii(data.AsSpan(VendorOffset, 8), identity.VendorId);
        WriteAscii(data.AsSpan(ProductOffset, 16), identity.ProductId);
        WriteAscii(data.AsSpan(RevisionOffset, 4), identity.Revision);
        for (var i = 0; i < versionDescriptors.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(VersionDescriptorOffset + (2 * i)), versionDescriptors[i]);
        }

        return data;
    }

    /// <summary>SPC-4 4.4.1: ASCII fields are left-aligned and padded with spaces.</summary>
    public static void WriteAscii(Span<byte> field, string value)
    {
        field.Fill((byte)' ');
        Encoding.ASCII.GetBytes(value, field);
    }
}
