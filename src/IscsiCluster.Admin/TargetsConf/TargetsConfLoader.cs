namespace IscsiCluster.Admin.TargetsConf;

/// <summary>Reads a targets.conf from disk, following "include PATTERN" lines (Config::General -IncludeGlob) a few levels deep.</summary>
internal static class TargetsConfLoader
{
    private const int MaxIncludeDepth = 8;
    private const string IncludeDirective = "include";

    public static bool TryLoad(string path, out TargetsConfDocument document, out string error) =>
        TryLoad(path, 0, out document, out error);

    private static bool TryLoad(string path, int depth, out TargetsConfDocument document, out string error)
    {
        document = null!;
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            error = $"can't read {path}: {exception.Message}";
            return false;
        }

        if (!TargetsConfParser.TryParse(text, out var parsed, out error))
        {
            error = $"{path}: {error}";
            return false;
        }

        var globals = new List<ConfDirective>();
        var targets = new List<ConfTarget>();
        foreach (var directive in parsed.Globals)
        {
            if (directive.Key != IncludeDirective)
            {
                globals.Add(directive);
                continue;
            }

            if (depth >= MaxIncludeDepth)
            {
                error = $"{path}: line {directive.Line}: includes nest deeper than {MaxIncludeDepth}";
                return false;
            }

            foreach (var included in ExpandGlob(directive.Value, Path.GetDirectoryName(Path.GetFullPath(path))!))
            {
                if (!TryLoad(included, depth + 1, out var child, out error))
                {
                    return false;
                }

                globals.AddRange(child.Globals);
                targets.AddRange(child.Targets);
            }
        }

        targets.AddRange(parsed.Targets);
        document = new TargetsConfDocument(globals, targets);
        return true;
    }

    /// <summary>A pattern with '*' or '?' in its file name only, as tgt's "include /etc/tgt/conf.d/*.conf"; no match is no file.</summary>
    private static IEnumerable<string> ExpandGlob(string pattern, string baseDirectory)
    {
        var full = Path.IsPathRooted(pattern) ? pattern : Path.Combine(baseDirectory, pattern);
        var directory = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        if (!Directory.Exists(directory))
        {
            return [];
        }

        return name.AsSpan().IndexOfAny('*', '?') < 0
            ? File.Exists(full) ? [full] : []
            : Directory.GetFiles(directory, name).Order(StringComparer.Ordinal);
    }
}
