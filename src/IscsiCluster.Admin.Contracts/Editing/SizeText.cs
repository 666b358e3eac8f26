using System.Globalization;

namespace IscsiCluster.Admin.Contracts.Editing;

/// <summary>Sizes as administrators type them: "10G", "512M", "4096", "1TiB" (binary multiples, case-insensitive).</summary>
public static class SizeText
{
    /// <summary>Suffixes longest first, so "GiB" is tried before "B".</summary>
    private static readonly (string Suffix, int Shift)[] Units =
    [
        ("KiB", 10), ("MiB", 20), ("GiB", 30), ("TiB", 40), ("PiB", 50),
        ("KB", 10), ("MB", 20), ("GB", 30), ("TB", 40), ("PB", 50),
        ("K", 10), ("M", 20), ("G", 30), ("T", 40), ("P", 50), ("B", 0),
    ];

    /// <summary>Binary units for <see cref="Format"/>, largest first.</summary>
    private static readonly (string Suffix, int Shift)[] FormatUnits = [("PiB", 50), ("TiB", 40), ("GiB", 30), ("MiB", 20), ("KiB", 10)];

    /// <summary>A size as a person reads it, exactly: "2 GiB", "1536 MiB", "1000 bytes" (the largest unit that divides it).</summary>
    public static string Format(long bytes)
    {
        foreach (var (suffix, shift) in FormatUnits)
        {
            var unit = 1L << shift;
            if (bytes != 0 && bytes % unit == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{bytes / unit} {suffix}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes");
    }

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var body = text.Trim();
        var shift = 0;
        foreach (var (suffix, unitShift) in Units)
        {
            if (body.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                shift = unitShift;
                body = body[..^suffix.Length];
                break;
            }
        }

        if (body.Length == 0 || !body.All(char.IsAsciiDigit)
            || !long.TryParse(body, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            return false;
        }

        if (count > long.MaxValue >> shift)
        {
            return false;
        }

        bytes = count << shift;
        return true;
    }
}
