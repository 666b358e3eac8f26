using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace IscsiCluster.Iscsi.Protocol.Text;

/// <summary>Value syntaxes of RFC 7143 6.1 shared by negotiation and CHAP.</summary>
public static class TextValues
{
    public const string Yes = "Yes";
    public const string No = "No";
    public const string Reject = "Reject";
    public const string Irrelevant = "Irrelevant";
    public const string NotUnderstood = "NotUnderstood";
    public const string None = "None";

    private const string HexPrefix = "0x";
    private const string Base64Prefix = "0b";

    /// <summary>Parses a numerical value: decimal, or hex with a 0x prefix.</summary>
    public static bool TryParseNumber(string value, out ulong number)
    {
        ArgumentNullException.ThrowIfNull(value);
        number = 0;
        if (value.StartsWith(HexPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var digits = value.AsSpan(HexPrefix.Length);
            return digits.Length is > 0 and <= 16
                && ulong.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number);
        }

        return value.Length is > 0 and <= 20 && value.All(char.IsAsciiDigit)
            && ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number);
    }

    /// <summary>Parses "Yes" or "No".</summary>
    public static bool TryParseBoolean(string value, out bool result)
    {
        result = value == Yes;
        return value is Yes or No;
    }

    public static string FormatBoolean(bool value) => value ? Yes : No;

    /// <summary>Parses a binary value: "0x" hex (an odd digit count gets a leading zero) or "0b" base64.</summary>
    public static bool TryParseBinary(string value, [NotNullWhen(true)] out byte[]? bytes)
    {
        ArgumentNullException.ThrowIfNull(value);
        bytes = null;
        if (value.Length <= HexPrefix.Length)
        {
            return false;
        }

        var body = value.AsSpan(HexPrefix.Length);
        if (value.StartsWith(HexPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var hex = body.Length % 2 == 0 ? body.ToString() : "0" + body.ToString();
            try
            {
                bytes = Convert.FromHexString(hex);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        if (value.StartsWith(Base64Prefix, StringComparison.OrdinalIgnoreCase))
        {
            var buffer = new byte[(body.Length * 3 / 4) + 3];
            if (Convert.TryFromBase64Chars(body, buffer, out var written) && written > 0)
            {
                bytes = buffer[..written];
                return true;
            }
        }

        return false;
    }

    /// <summary>Formats bytes as a "0x" hex value.</summary>
    public static string FormatHex(ReadOnlySpan<byte> bytes) => HexPrefix + Convert.ToHexStringLower(bytes);

    /// <summary>Splits a list value at commas (RFC 7143 6.1 list-of-values).</summary>
    public static string[] SplitList(string value) => value.Split(',');
}
