using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// One vital product data page (SPC-4 7.8): its code and a builder of the bytes after
/// the 4-byte page header (some pages depend on the port the command came through).
/// </summary>
internal sealed record VpdPage(byte Code, Func<ITNexus, byte[]> BuildPayload);

/// <summary>VPD page codes (SPC-4 7.8.1, table 451; SBC-3 6.6.1, table 181).</summary>
internal static class VpdPageCode
{
    public const byte SupportedPages = 0x00;
    public const byte UnitSerialNumber = 0x80;
    public const byte DeviceIdentification = 0x83;
    public const byte BlockLimits = 0xB0;
    public const byte BlockDeviceCharacteristics = 0xB1;
    public const byte LogicalBlockProvisioning = 0xB2;
}
