namespace IscsiCluster.Iscsi.Protocol.Pdus;

/// <summary>
/// Byte 1 of Login Request and Response (RFC 7143 11.12.1-11.12.4):
/// |T|C|.|.|CSG|NSG| with T = transit, C = continue, CSG and NSG two bits each.
/// </summary>
internal static class LoginFlags
{
    public const byte TransitBit = 0x80;
    public const byte ContinueBit = 0x40;
    private const int CurrentStageShift = 2;
    private const byte StageMask = 0x03;

    public static bool Transit(byte flags) => (flags & TransitBit) != 0;

    public static bool Continue(byte flags) => (flags & ContinueBit) != 0;

    public static LoginStage CurrentStage(byte flags) => (LoginStage)((flags >> CurrentStageShift) & StageMask);

    public static LoginStage NextStage(byte flags) => (LoginStage)(flags & StageMask);

    public static byte Compose(bool transit, bool @continue, LoginStage current, LoginStage next) =>
        (byte)((transit ? TransitBit : 0) | (@continue ? ContinueBit : 0)
            | (((byte)current & StageMask) << CurrentStageShift) | ((byte)next & StageMask));
}
