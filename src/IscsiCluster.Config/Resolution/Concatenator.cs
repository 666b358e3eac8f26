using System.Text;
using IscsiCluster.Config.Values;

namespace IscsiCluster.Config.Resolution;

/// <summary>
/// HOCON spec, "Value concatenation": strings (and scalars) join with the whitespace between them;
/// lists append; objects merge, later fields winning. Mixing kinds is an error. Undefined optional
/// substitutions drop out.
/// </summary>
internal static class Concatenator
{
    public static ConfigValue? Concatenate(ConfigConcatenation concatenation, IEnumerable<ConfigValue?> heads, ConfigPath path)
    {
        var parts = new List<ConfigValue>();
        foreach (var head in heads)
        {
            if (head is not null)
            {
                parts.Add(head);
            }
        }

        var values = parts.Where(p => p is not ConfigWhitespace).ToList();
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count == 1)
        {
            return values[0];
        }

        if (values.Any(v => v is ConfigObject))
        {
            var objects = values.Select(v => v as ConfigObject ?? throw Mixed(concatenation, v, "an object", path));
            return objects.Aggregate((earlier, later) => Merger.MergeObjects(earlier, later, null));
        }

        if (values.Any(v => v is ConfigList))
        {
            var lists = values.Select(v => v as ConfigList ?? throw Mixed(concatenation, v, "a list", path)).ToList();
            return new ConfigList(concatenation.Origin, [.. lists.SelectMany(l => l.Items)]);
        }

        var text = new StringBuilder();
        foreach (var part in TrimWhitespace(parts))
        {
            text.Append(part switch
            {
                ConfigWhitespace space => space.Text,
                ConfigScalar scalar => scalar.Text,
                _ => throw Mixed(concatenation, part, "a string", path),
            });
        }

        return ConfigScalar.String(concatenation.Origin, text.ToString());
    }

    /// <summary>Whitespace left at either end once undefined parts drop out is not part of the string.</summary>
    private static IEnumerable<ConfigValue> TrimWhitespace(List<ConfigValue> parts)
    {
        var first = parts.FindIndex(p => p is not ConfigWhitespace);
        var last = parts.FindLastIndex(p => p is not ConfigWhitespace);
        return parts.Skip(first).Take(last - first + 1);
    }

    private static ConfigException Mixed(ConfigConcatenation concatenation, ConfigValue part, string kind, ConfigPath path) =>
        new($"cannot concatenate {kind} with {part.Describe()}", concatenation.Origin, path.ToString());
}
