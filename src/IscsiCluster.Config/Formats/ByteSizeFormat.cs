namespace IscsiCluster.Config.Formats;

/// <summary>
/// HOCON spec, "Size in bytes format": <c>kB</c>, <c>MB</c>... are powers of 1000; <c>K</c>, <c>Ki</c>,
/// <c>KiB</c>... are powers of 1024. <c>KB</c> (not in the spec, but common) is read as 1000 like <c>kB</c>.
/// No unit means bytes.
/// </summary>
internal static class ByteSizeFormat
{
    private static readonly Dictionary<string, decimal> BytesPerUnit = BuildUnits();

    public static bool TryParse(string text, out long bytes, out string error)
    {
        bytes = 0;
        if (!UnitNumber.TrySplit(text, out var number, out var unit))
        {
            error = "expected a size such as 4096, 64MiB, 1G or \"10 kB\"";
            return false;
        }

        if (!BytesPerUnit.TryGetValue(unit.Length == 0 ? "B" : unit, out var multiplier))
        {
            error = $"unknown size unit '{unit}'; use B, K/KiB (1024), kB (1000), M/MiB, MB, G/GiB, GB, T/TiB, TB...";
            return false;
        }

        return TryToBytes(number, multiplier, out bytes, out error);
    }

    private static bool TryToBytes(decimal number, decimal multiplier, out long bytes, out string error)
    {
        bytes = 0;
        error = "size is out of range for a 64-bit byte count";
        try
        {
            var total = decimal.Truncate(number * multiplier);
            if (total > long.MaxValue || total < long.MinValue)
            {
                return false;
            }

            bytes = (long)total;
            error = string.Empty;
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }

    private static Dictionary<string, decimal> BuildUnits()
    {
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal)
        {
            ["B"] = 1m,
            ["b"] = 1m,
            ["byte"] = 1m,
            ["bytes"] = 1m,
        };
        string[][] decimalNames =
        [
            ["kB", "KB", "kilobyte", "kilobytes"],
            ["MB", "megabyte", "megabytes"],
            ["GB", "gigabyte", "gigabytes"],
            ["TB", "terabyte", "terabytes"],
            ["PB", "petabyte", "petabytes"],
            ["EB", "exabyte", "exabytes"],
            ["ZB", "zettabyte", "zettabytes"],
            ["YB", "yottabyte", "yottabytes"],
        ];
        string[] binaryLetters = ["K", "M", "G", "T", "P", "E", "Z", "Y"];
        string[] binaryNames = ["kibi", "mebi", "gibi", "tebi", "pebi", "exbi", "zebi", "yobi"];
        decimal power10 = 1m;
        decimal power2 = 1m;
        for (var i = 0; i < binaryLetters.Length; i++)
        {
            power10 *= 1000m;
            power2 *= 1024m;
            foreach (var name in decimalNames[i])
            {
                units[name] = power10;
            }

            var letter = binaryLetters[i];
            foreach (var name in new[] { letter, letter.ToLowerInvariant(), letter + "i", letter + "iB", binaryNames[i] + "byte", binaryNames[i] + "bytes" })
            {
                units[name] = power2;
            }
        }

        return units;
    }
}
