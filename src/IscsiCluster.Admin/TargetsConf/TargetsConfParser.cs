namespace IscsiCluster.Admin.TargetsConf;

/// <summary>
/// Reads the subset of Config::General syntax tgt's targets.conf uses: '#' comments, "key value" lines,
/// &lt;target NAME&gt; blocks holding &lt;backing-store PATH&gt;/&lt;direct-store PATH&gt; blocks, values optionally in
/// double quotes. Blocks are kept apart (not merged) so each backing store keeps its own options.
/// </summary>
internal static class TargetsConfParser
{
    private const string TargetBlock = "target";
    public const string BackingStore = "backing-store";
    public const string DirectStore = "direct-store";

    public static bool TryParse(string text, out TargetsConfDocument document, out string error)
    {
        document = null!;
        error = "";
        var globals = new List<ConfDirective>();
        var targets = new List<ConfTarget>();
        (string Name, int Line, List<ConfDirective> Directives, List<ConfStore> Stores)? target = null;
        (string Kind, string Path, int Line, List<ConfDirective> Directives)? store = null;
        var lines = text.Split('\n');
        for (var index = 0; index < lines.Length; index++)
        {
            var number = index + 1;
            var line = StripComment(lines[index]).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith("</", StringComparison.Ordinal))
            {
                var closing = line[2..].TrimEnd('>').Trim();
                if (store is { } openStore && closing == openStore.Kind)
                {
                    target!.Value.Stores.Add(new ConfStore(openStore.Kind, openStore.Path, openStore.Directives, openStore.Line));
                    store = null;
                }
                else if (store is null && target is { } openTarget && closing == TargetBlock)
                {
                    targets.Add(new ConfTarget(openTarget.Name, openTarget.Directives, openTarget.Stores, openTarget.Line));
                    target = null;
                }
                else
                {
                    error = $"line {number}: unexpected </{closing}>";
                    return false;
                }

                continue;
            }

            if (line.StartsWith('<'))
            {
                if (!line.EndsWith('>'))
                {
                    error = $"line {number}: a block opening must end with '>'";
                    return false;
                }

                var (kind, argument) = SplitKey(line[1..^1].Trim());
                var value = Unquote(argument);
                if (kind == TargetBlock && target is null)
                {
                    if (value.Length == 0)
                    {
                        error = $"line {number}: <target> needs a target name";
                        return false;
                    }

                    target = (value, number, [], []);
                }
                else if (kind is BackingStore or DirectStore && target is not null && store is null)
                {
                    if (value.Length == 0)
                    {
                        error = $"line {number}: <{kind}> needs a path";
                        return false;
                    }

                    store = (kind, value, number, []);
                }
                else
                {
                    error = $"line {number}: <{kind}> is not allowed here";
                    return false;
                }

                continue;
            }

            var (key, rest) = SplitKey(line);
            var directive = new ConfDirective(key, Unquote(rest), number);
            if (store is not null)
            {
                store.Value.Directives.Add(directive);
            }
            else if (target is not null)
            {
                if (key is BackingStore or DirectStore)
                {
                    target.Value.Stores.Add(new ConfStore(key, directive.Value, [], number));
                }
                else
                {
                    target.Value.Directives.Add(directive);
                }
            }
            else
            {
                globals.Add(directive);
            }
        }

        if (target is not null)
        {
            error = $"line {target.Value.Line}: <target {target.Value.Name}> is not closed";
            return false;
        }

        document = new TargetsConfDocument(globals, targets);
        return true;
    }

    private static string StripComment(string line)
    {
        var inQuotes = false;
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '"')
            {
                inQuotes = !inQuotes;
            }
            else if (line[i] == '#' && !inQuotes)
            {
                return line[..i];
            }
        }

        return line;
    }

    private static (string Key, string Remainder) SplitKey(string line)
    {
        var space = line.IndexOfAny([' ', '\t']);
        return space < 0 ? (line, "") : (line[..space], line[(space + 1)..].Trim());
    }

    private static string Unquote(string value) =>
        value.Length >= 2 && value[0] == '"' && value[^1] == '"' ? value[1..^1] : value;
}
