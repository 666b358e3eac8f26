using System.Globalization;
using IscsiCluster.Config.Formats;
using IscsiCluster.Config.Values;

namespace IscsiCluster.Config;

/// <summary>
/// Typed getters. Strings convert to numbers, booleans, durations and sizes where they parse
/// (HOCON spec, "Automatic type conversions"); anything else is a <see cref="ConfigException"/>
/// naming the file, line and key.
/// </summary>
public sealed partial class Config
{
    private const NumberStyles IntegerStyle = NumberStyles.AllowLeadingSign;
    private const NumberStyles FloatStyle = NumberStyles.Float;

    public string GetString(string path)
    {
        var (value, fullPath) = Lookup(path);
        return AsString(value, fullPath);
    }

    /// <summary>The string at <paramref name="path"/>, or <paramref name="defaultValue"/> when it is missing or null.</summary>
    public string GetString(string path, string defaultValue) =>
        TryLookup(ConfigPath.ParseForLookup(path), out var value) && value is not ConfigScalar { Kind: ScalarKind.Null }
            ? AsString(value, FullPath(path))
            : defaultValue;

    public int GetInt(string path)
    {
        var (value, fullPath) = Lookup(path);
        var number = AsLong(value, fullPath);
        return number is >= int.MinValue and <= int.MaxValue
            ? (int)number
            : throw TypeError(value, fullPath, "expected a number that fits in 32 bits");
    }

    public long GetLong(string path)
    {
        var (value, fullPath) = Lookup(path);
        return AsLong(value, fullPath);
    }

    public double GetDouble(string path)
    {
        var (value, fullPath) = Lookup(path);
        return NumberText(value) is { } text
            && double.TryParse(text, FloatStyle, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number)
            ? number
            : throw TypeError(value, fullPath, "expected a number");
    }

    /// <summary>true/yes/on or false/no/off.</summary>
    public bool GetBoolean(string path)
    {
        var (value, fullPath) = Lookup(path);
        var text = value is ConfigScalar { Kind: ScalarKind.Boolean or ScalarKind.String } scalar ? scalar.Text.ToLowerInvariant() : null;
        return text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw TypeError(value, fullPath, "expected a boolean (true/false, yes/no, on/off)"),
        };
    }

    /// <summary>A HOCON duration: "10s", "250ms", "2 minutes"; a bare number is milliseconds.</summary>
    public TimeSpan GetTimeSpan(string path)
    {
        var (value, fullPath) = Lookup(path);
        var error = "expected a duration such as 10s, 250ms or \"2 minutes\"";
        return NumberText(value) is { } text && DurationFormat.TryParse(text, out var duration, out error)
            ? duration
            : throw TypeError(value, fullPath, error);
    }

    /// <summary>A HOCON size in bytes: "4k" (4096), "64 MiB", "1G", "10kB" (10000); a bare number is bytes.</summary>
    public long GetByteSize(string path)
    {
        var (value, fullPath) = Lookup(path);
        var error = "expected a size such as 4096, 64MiB or 1G";
        return NumberText(value) is { } text && ByteSizeFormat.TryParse(text, out var size, out error)
            ? size
            : throw TypeError(value, fullPath, error);
    }

    public IReadOnlyList<string> GetStringList(string path)
    {
        var (value, fullPath) = Lookup(path);
        var list = value as ConfigList ?? throw TypeError(value, fullPath, "expected a list");
        return [.. list.Items.Select((item, i) => AsString(item, $"{fullPath}[{i}]"))];
    }

    /// <summary>A list of objects, each as a config of its own.</summary>
    public IReadOnlyList<Config> GetConfigList(string path)
    {
        var (value, fullPath) = Lookup(path);
        var list = value as ConfigList ?? throw TypeError(value, fullPath, "expected a list of objects");
        return [.. list.Items.Select((item, i) => item is ConfigObject obj
            ? new Config(obj, isResolved: true, $"{fullPath}[{i}]")
            : throw TypeError(item, $"{fullPath}[{i}]", "expected an object"))];
    }

    private static string AsString(ConfigValue value, string fullPath) =>
        value is ConfigScalar { Kind: not ScalarKind.Null } scalar ? scalar.Text : throw TypeError(value, fullPath, "expected a string");

    private static long AsLong(ConfigValue value, string fullPath)
    {
        var text = NumberText(value);
        if (text is not null && long.TryParse(text, IntegerStyle, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        // 1e3 and 10.0 are whole numbers too.
        if (text is null || !decimal.TryParse(text, FloatStyle, CultureInfo.InvariantCulture, out var real))
        {
            throw TypeError(value, fullPath, "expected a number");
        }

        return real == decimal.Truncate(real) && real is >= long.MinValue and <= long.MaxValue
            ? (long)real
            : throw TypeError(value, fullPath, "expected a whole number that fits in 64 bits");
    }

    /// <summary>The text of a number or string, which may hold a number (with a unit).</summary>
    private static string? NumberText(ConfigValue value) =>
        value is ConfigScalar { Kind: ScalarKind.Number or ScalarKind.String } scalar ? scalar.Text.Trim() : null;
}
