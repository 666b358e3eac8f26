using System.Globalization;

namespace IscsiCluster.Config.Formats;

/// <summary>Splits <c>"10 s"</c>, <c>"1.5GiB"</c> into a number and the unit letters after it.</summary>
internal static class UnitNumber
{
    public static bool TrySplit(string text, out decimal number, out string unit)
    {
        var trimmed = text.Trim();
        var unitStart = trimmed.Length;
        while (unitStart > 0 && char.IsAsciiLetter(trimmed[unitStart - 1]))
        {
            unitStart--;
        }

        unit = trimmed[unitStart..];
        var numberText = trimmed[..unitStart].TrimEnd();
        return decimal.TryParse(numberText, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out number);
    }
}
