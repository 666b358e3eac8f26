using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;
using IscsiCluster.Storage.RocksDb;

namespace IscsiCluster.Storage.Tests;

/// <summary>The embedded reference.conf documents every option with the defaults the code uses.</summary>
public sealed partial class ReferenceConfTests
{
    private static readonly Dictionary<string, string> Settings = ReadSettings();

    public static TheoryData<string> OptionNames()
    {
        var names = new TheoryData<string>();
        foreach (var property in Options(typeof(BlockStoreOptions)).Concat(Options(typeof(RocksDbOptions))))
        {
            names.Add(property.DeclaringType!.Name + "." + property.Name);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(OptionNames))]
    public void EveryOptionAppearsWithItsDefault(string option)
    {
        var typeName = option[..option.IndexOf('.', StringComparison.Ordinal)];
        var property = option[(typeName.Length + 1)..];
        object defaults = typeName == nameof(BlockStoreOptions) ? new BlockStoreOptions() : new RocksDbOptions();
        var value = defaults.GetType().GetProperty(property)!.GetValue(defaults);
        var key = KebabCase(property);

        Assert.True(Settings.TryGetValue(key, out var text), $"reference.conf has no '{key}'");
        Assert.Equal(Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty, Normalize(text, value));
    }

    [Fact]
    public void TheSettingsSitUnderTheStorageSection()
    {
        Assert.StartsWith("iscsi-cluster.storage {", ReadResource().Split('\n').First(l => !l.StartsWith('#')), StringComparison.Ordinal);
    }

    private static IEnumerable<PropertyInfo> Options(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite && p.PropertyType != typeof(RocksDbOptions));

    private static string Normalize(string text, object? defaultValue)
    {
        var unquoted = text.Trim('"');
        if (defaultValue is long or int)
        {
            var size = SizePattern().Match(unquoted);
            var multiplier = size.Groups[2].Value switch
            {
                "KiB" => RocksDbOptions.KiB,
                "MiB" => RocksDbOptions.MiB,
                _ => 1,
            };
            return (long.Parse(size.Groups[1].Value, CultureInfo.InvariantCulture) * multiplier).ToString(CultureInfo.InvariantCulture);
        }

        return defaultValue switch
        {
            bool => (unquoted == "true").ToString(),
            Enum value => Enum.GetNames(value.GetType()).Single(name => name.Equals(unquoted, StringComparison.OrdinalIgnoreCase)),
            _ => unquoted,
        };
    }

    private static string KebabCase(string name)
    {
        var builder = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }

    private static Dictionary<string, string> ReadSettings()
    {
        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match match in SettingPattern().Matches(ReadResource()))
        {
            settings.Add(match.Groups[1].Value, match.Groups[2].Value.Trim());
        }

        return settings;
    }

    private static string ReadResource()
    {
        using var stream = typeof(BlockStore).Assembly.GetManifestResourceStream("IscsiCluster.Storage.reference.conf")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex(@"^\s*([a-z-]+)\s*=\s*(.*)$", RegexOptions.Multiline)]
    private static partial Regex SettingPattern();

    [GeneratedRegex(@"^(\d+)\s*(KiB|MiB)?$")]
    private static partial Regex SizePattern();
}
