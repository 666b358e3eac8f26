namespace IscsiCluster.Scsi.Spc;

/// <summary>Byte 0 of INQUIRY data and VPD pages (SPC-4 6.4.2, tables 141 and 142).</summary>
internal static class PeripheralDevice
{
    /// <summary>Direct access block device (SBC-3), qualifier 000b.</summary>
    public const byte DirectAccessBlock = 0x00;

    /// <summary>Storage array controller (SCC-2), qualifier 000b.</summary>
    public const byte StorageArrayController = 0x0C;

    /// <summary>Qualifier 011b, type 1Fh: the device server cannot support a logical unit here.</summary>
    public const byte NotSupported = 0x7F;
}

/// <summary>VERSION DESCRIPTOR codes (SPC-4 6.4.2, table 146).</summary>
internal static class VersionDescriptor
{
    public const ushort Sam5 = 0x00A0;
    public const ushort Spc4 = 0x0460;
    public const ushort Sbc3 = 0x04C0;
    public const ushort Iscsi = 0x0960;
}

/// <summary>PROTOCOL IDENTIFIER values (SPC-4 7.6.1, table 362).</summary>
internal static class ProtocolIdentifier
{
    /// <summary>iSCSI: the only SCSI transport protocol this target speaks.</summary>
    public const byte Iscsi = 0x5;
}
