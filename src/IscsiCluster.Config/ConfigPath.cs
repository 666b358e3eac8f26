using System.Text;

namespace IscsiCluster.Config;

/// <summary>
/// A key path: a list of key segments. In text, segments are separated by dots and a quoted
/// segment may itself contain dots (HOCON spec, "Paths as keys").
/// </summary>
internal sealed class ConfigPath : IEquatable<ConfigPath>
{
    private readonly string[] _segments;

    public ConfigPath(IEnumerable<string> segments)
    {
        _segments = [.. segments];
    }

    public static ConfigPath Root { get; } = new([]);

    public IReadOnlyList<string> Segments => _segments;

    public int Length => _segments.Length;

    public bool IsRoot => _segments.Length == 0;

    public ConfigPath Append(string segment) => new([.. _segments, segment]);

    public ConfigPath Append(ConfigPath other) => other.IsRoot ? this : IsRoot ? other : new([.. _segments, .. other._segments]);

    public ConfigPath Skip(int count) => new(_segments.Skip(count));

    public bool StartsWith(ConfigPath prefix)
    {
        if (prefix.Length > Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (!string.Equals(_segments[i], prefix._segments[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses a path expression such as <c>a.b."c.d"</c>.</summary>
    public static bool TryParse(string text, out ConfigPath path, out string error)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        var segmentHasText = false;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '"')
            {
                if (!StringEscapes.TryReadQuoted(text, ref i, out var quoted, out error))
                {
                    path = Root;
                    return false;
                }

                current.Append(quoted);
                segmentHasText = true;
                continue;
            }

            if (c == '.')
            {
                if (!segmentHasText)
                {
                    path = Root;
                    error = $"path '{text}' has an empty segment; quote it (\"\") if an empty key is meant";
                    return false;
                }

                segments.Add(current.ToString());
                current.Clear();
                segmentHasText = false;
            }
            else
            {
                current.Append(c);
                segmentHasText = true;
            }

            i++;
        }

        if (!segmentHasText)
        {
            path = Root;
            error = text.Length == 0 ? "path is empty" : $"path '{text}' has an empty segment; quote it (\"\") if an empty key is meant";
            return false;
        }

        segments.Add(current.ToString());
        path = new ConfigPath(segments);
        error = string.Empty;
        return true;
    }

    /// <summary>Parses a path given to a getter; a malformed path is the caller's error.</summary>
    public static ConfigPath ParseForLookup(string text)
    {
        if (!TryParse(text, out var path, out var error))
        {
            throw new ConfigException(error, null, 0, text);
        }

        return path;
    }

    /// <summary>Renders a key segment, quoting it when it could not be read back bare.</summary>
    public static string RenderKey(string segment)
    {
        if (segment.Length > 0 && segment.All(IsBareKeyChar))
        {
            return segment;
        }

        return StringEscapes.Quote(segment);
    }

    public bool Equals(ConfigPath? other) => other is not null && _segments.AsSpan().SequenceEqual(other._segments);

    public override bool Equals(object? obj) => Equals(obj as ConfigPath);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var segment in _segments)
        {
            hash.Add(segment, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => string.Join('.', _segments.Select(RenderKey));

    private static bool IsBareKeyChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-' || c == '_';
}
