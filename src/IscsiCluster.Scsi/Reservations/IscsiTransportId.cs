using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// iSCSI TransportIDs (SPC-4 7.6.4.6, tables 394 and 395): which initiator port a
/// registration names in READ FULL STATUS, SPEC_I_PT and REGISTER AND MOVE.
/// <code>
/// byte 0     FORMAT CODE (7..6) | PROTOCOL IDENTIFIER (3..0) = 5h
/// byte 1     reserved
/// bytes 2..3 ADDITIONAL LENGTH (n - 3): a multiple of four, at least 20
/// bytes 4..n format 00b: ISCSI NAME, null terminated and padded;
///            format 01b: ISCSI NAME, ",i,0x", ISCSI INITIATOR SESSION ID (hex), null terminated and padded
/// </code>
/// </summary>
internal static class IscsiTransportId
{
    /// <summary>The header before the name.</summary>
    public const int HeaderLength = 4;

    /// <summary>SPC-4 7.6.4.6: the shortest TransportID (ADDITIONAL LENGTH 20).</summary>
    public const int MinimumLength = 24;

    /// <summary>The separator of an initiator port name (RFC 7143 4.4.2).</summary>
    public const string Separator = ",i,0x";

    private const int FormatShift = 6;
    private const byte FormatDevice = 0x0;
    private const byte FormatPort = 0x1;
    private const int AdditionalLengthOffset = 2;
    private const int MaximumIsidDigits = 12;             // the ISID is six bytes (RFC 7143 11.12.5)

    /// <summary>Builds the TransportID of an initiator port name (format 01b), or of a bare iSCSI name (format 00b).</summary>
    public static byte[] Build(string initiatorPortName)
    {
        var format = initiatorPortName.Contains(Separator, StringComparison.OrdinalIgnoreCase) ? FormatPort : FormatDevice;
        var name = Encoding.UTF8.GetBytes(initiatorPortName);
        var length = Math.Max(HeaderLength + ((name.Length + 4) & ~3), MinimumLength);
        var id = new byte[length];
        id[0] = (byte)((format << FormatShift) | ProtocolIdentifier.Iscsi);
        BinaryPrimitives.WriteUInt16BigEndian(id.AsSpan(AdditionalLengthOffset), (ushort)(length - HeaderLength));
        name.CopyTo(id, HeaderLength);
        return id;
    }

    /// <summary>
    /// Reads one TransportID at the start of <paramref name="data"/>: an iSCSI initiator port
    /// (format 01b). On failure <paramref name="badOffset"/> is the offending byte within
    /// <paramref name="data"/>. Format 00b names an initiator device, not a port, and is refused:
    /// a registration here always belongs to one initiator port.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out string initiatorPortName, out int length, out int badOffset)
    {
        initiatorPortName = string.Empty;
        length = 0;
        if (data.Length < MinimumLength)
        {
            badOffset = 0;
            return false;
        }

        if ((data[0] & 0x0F) != ProtocolIdentifier.Iscsi || data[0] >> FormatShift != FormatPort || (data[0] & 0x30) != 0)
        {
            badOffset = 0;
            return false;
        }

        var additional = BinaryPrimitives.ReadUInt16BigEndian(data[AdditionalLengthOffset..]);
        length = HeaderLength + additional;
        if (additional % 4 != 0 || length < MinimumLength || length > data.Length)
        {
            badOffset = AdditionalLengthOffset;
            return false;
        }

        badOffset = HeaderLength;
        var text = data[HeaderLength..length];
        var end = text.IndexOf((byte)0);
        if (end <= 0)
        {
            return false;
        }

        string name;
        try
        {
            name = new UTF8Encoding(false, true).GetString(text[..end]);
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        var separator = name.IndexOf(Separator, StringComparison.OrdinalIgnoreCase);
        var isid = separator < 0 ? string.Empty : name[(separator + Separator.Length)..];
        if (separator <= 0 || isid.Length is 0 or > MaximumIsidDigits
            || !ulong.TryParse(isid, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        initiatorPortName = name;
        badOffset = 0;
        return true;
    }
}
