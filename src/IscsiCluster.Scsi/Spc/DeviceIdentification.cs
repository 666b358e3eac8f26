using System.Buffers.Binary;
using System.Text;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// The device identification VPD page (SPC-4 7.8.6). Logical unit designators depend
/// only on the unit's identity; port designators on the port the command came through.
/// </summary>
internal static class DeviceIdentification
{
    // SPC-4 7.8.6.1, table 459: designation descriptor header fields.
    private const byte CodeSetBinary = 0x1;
    private const byte CodeSetAscii = 0x2;
    private const byte CodeSetUtf8 = 0x3;
    private const byte Piv = 0x80;
    private const byte AssociationLogicalUnit = 0x00;
    private const byte AssociationTargetPort = 0x10;
    private const byte AssociationTargetDevice = 0x20;

    // SPC-4 7.8.6.1, table 461: designator types.
    private const byte TypeT10VendorId = 0x1;
    private const byte TypeNaa = 0x3;
    private const byte TypeRelativeTargetPort = 0x4;
    private const byte TypeTargetPortGroup = 0x5;
    private const byte TypeScsiNameString = 0x8;

    // SPC-4 7.8.6.6.2: NAA 3h "locally assigned". The brief allowed 6h with a made-up OUI,
    // but an invented OUI can belong to a real company and collide with its devices; 3h
    // declares the value unique only within this installation, which is exactly what a
    // cluster-wide unit id is. Its 60 bits are the unit id (LogicalUnitIdentity.UnitIdLimit).
    private const byte NaaLocallyAssigned = 0x3;
    private const int NaaLength = 8;
    private const int T10VendorLength = 8;
    private const int MaxScsiNameLength = 252;            // the largest multiple of four a one-byte length holds

    /// <summary>Builds the page payload for a unit seen through <paramref name="nexus"/>.</summary>
    public static byte[] Build(LogicalUnitIdentity identity, ITNexus nexus)
    {
        var page = new List<byte>(128);
        Add(page, CodeSetBinary, AssociationLogicalUnit | TypeNaa, Naa(identity.UnitId));
        Add(page, CodeSetAscii, AssociationLogicalUnit | TypeT10VendorId, T10Vendor(identity));
        Add(page, (ProtocolIdentifier.Iscsi << 4) | CodeSetBinary, Piv | AssociationTargetPort | TypeRelativeTargetPort,
            PortNumber(nexus.RelativeTargetPortId));
        Add(page, (ProtocolIdentifier.Iscsi << 4) | CodeSetBinary, Piv | AssociationTargetPort | TypeTargetPortGroup,
            PortNumber(nexus.TargetPortGroup));
        Add(page, (ProtocolIdentifier.Iscsi << 4) | CodeSetUtf8, Piv | AssociationTargetDevice | TypeScsiNameString,
            ScsiName(nexus.TargetName));
        return [.. page];
    }

    /// <summary>The logical unit's NAA designation descriptor (header and designator), as it appears in the page.</summary>
    public static byte[] NaaDesignation(LogicalUnitIdentity identity)
    {
        var descriptor = new List<byte>(4 + NaaLength);
        Add(descriptor, CodeSetBinary, AssociationLogicalUnit | TypeNaa, Naa(identity.UnitId));
        return [.. descriptor];
    }

    /// <summary>SPC-4 7.8.6.6.2: NAA 3h then the 60-bit locally administered value.</summary>
    public static byte[] Naa(ulong unitId)
    {
        var designator = new byte[NaaLength];
        BinaryPrimitives.WriteUInt64BigEndian(designator, ((ulong)NaaLocallyAssigned << 60) | (unitId & (LogicalUnitIdentity.UnitIdLimit - 1)));
        return designator;
    }

    /// <summary>SPC-4 7.8.6.3: T10 VENDOR IDENTIFICATION then a vendor specific identifier (the serial number).</summary>
    private static byte[] T10Vendor(LogicalUnitIdentity identity)
    {
        var designator = new byte[T10VendorLength + identity.SerialNumber.Length];
        StandardInquiry.WriteAscii(designator.AsSpan(0, T10VendorLength), identity.VendorId);
        Encoding.ASCII.GetBytes(identity.SerialNumber, designator.AsSpan(T10VendorLength));
        return designator;
    }

    /// <summary>SPC-4 7.8.6.6 and 7.8.6.7: two reserved bytes then the 16-bit number.</summary>
    private static byte[] PortNumber(ushort value)
    {
        var designator = new byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(designator.AsSpan(2), value);
        return designator;
    }

    /// <summary>
    /// SPC-4 7.8.6.11: a null-terminated UTF-8 name padded with nulls to a multiple of four,
    /// at most <see cref="MaxScsiNameLength"/> bytes (iSCSI names are at most 223, RFC 7143 4.2.7.1).
    /// </summary>
    private static byte[] ScsiName(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);
        var designator = new byte[Math.Min((bytes.Length + 4) & ~3, MaxScsiNameLength)];
        bytes.AsSpan(0, Math.Min(bytes.Length, designator.Length - 1)).CopyTo(designator);
        return designator;
    }

    private static void Add(List<byte> page, int codeSet, int associationAndType, byte[] designator)
    {
        page.Add((byte)codeSet);
        page.Add((byte)associationAndType);
        page.Add(0);
        page.Add((byte)designator.Length);
        page.AddRange(designator);
    }
}
