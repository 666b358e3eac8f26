namespace IscsiCluster.Config.Formats;

/// <summary>
/// HOCON spec, "Duration format": a number and an optional lowercase unit; no unit means milliseconds.
/// </summary>
internal static class DurationFormat
{
    private const decimal NanosecondsPerTick = 100m;

    private static readonly Dictionary<string, decimal> NanosecondsPerUnit = BuildUnits();

    public static bool TryParse(string text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        if (!UnitNumber.TrySplit(text, out var number, out var unit))
        {
            error = "expected a duration such as 10s, 250ms or \"2 minutes\"";
            return false;
        }

        if (!NanosecondsPerUnit.TryGetValue(unit.Length == 0 ? "ms" : unit, out var nanoseconds))
        {
            error = $"unknown duration unit '{unit}'; use ns, us, ms, s, m, h or d (or their long names)";
            return false;
        }

        return TryToTimeSpan(number, nanoseconds, out duration, out error);
    }

    private static bool TryToTimeSpan(decimal number, decimal nanosecondsPerUnit, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = "duration is out of range";
        try
        {
            var ticks = decimal.Truncate(number * nanosecondsPerUnit / NanosecondsPerTick);
            if (ticks > TimeSpan.MaxValue.Ticks || ticks < TimeSpan.MinValue.Ticks)
            {
                return false;
            }

            duration = TimeSpan.FromTicks((long)ticks);
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
        var units = new Dictionary<string, decimal>(StringComparer.Ordinal);
        void Add(decimal nanoseconds, params string[] names)
        {
            foreach (var name in names)
            {
                units[name] = nanoseconds;
            }
        }

        Add(1m, "ns", "nano", "nanos", "nanosecond", "nanoseconds");
        Add(1_000m, "us", "micro", "micros", "microsecond", "microseconds");
        Add(1_000_000m, "ms", "milli", "millis", "millisecond", "milliseconds");
        Add(1_000_000_000m, "s", "second", "seconds");
        Add(60m * 1_000_000_000m, "m", "minute", "minutes");
        Add(3_600m * 1_000_000_000m, "h", "hour", "hours");
        Add(86_400m * 1_000_000_000m, "d", "day", "days");
        return units;
    }
}
