namespace IscsiCluster.Admin.CommandLine;

/// <summary>One option occurrence: which option and its value (null for flags).</summary>
internal sealed record OptionValue(OptionSpec Option, string? Value);

/// <summary>
/// Parses arguments with getopt_long's rules (getopt(3)): "--name value", "--name=value", unambiguous long
/// prefixes ("--targ"), "-t 1", "-t1", clustered flags ("-dF"), "--" ending options. Operands are refused,
/// as tgtadm refuses them.
/// </summary>
internal static class GetoptParser
{
    public static bool TryParse(IReadOnlyList<string> args, out IReadOnlyList<OptionValue> values, out string error)
    {
        var parsed = new List<OptionValue>();
        values = parsed;
        error = "";
        for (var index = 0; index < args.Count; index++)
        {
            var arg = args[index];
            if (arg == "--")
            {
                if (index + 1 < args.Count)
                {
                    error = $"unrecognized option '{args[index + 1]}'";
                    return false;
                }

                break;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (!TryParseLong(args, ref index, parsed, out error))
                {
                    return false;
                }
            }
            else if (arg.Length > 1 && arg[0] == '-')
            {
                if (!TryParseShort(args, ref index, parsed, out error))
                {
                    return false;
                }
            }
            else
            {
                error = $"unrecognized option '{arg}'";
                return false;
            }
        }

        return true;
    }

    private static bool TryParseLong(IReadOnlyList<string> args, ref int index, List<OptionValue> parsed, out string error)
    {
        error = "";
        var body = args[index][2..];
        var equals = body.IndexOf('=', StringComparison.Ordinal);
        var name = equals < 0 ? body : body[..equals];
        if (!TryFindLong(name, out var option, out error))
        {
            return false;
        }

        if (!option.TakesValue)
        {
            if (equals >= 0)
            {
                error = $"option '--{option.Long}' doesn't allow an argument";
                return false;
            }

            parsed.Add(new OptionValue(option, null));
            return true;
        }

        if (equals >= 0)
        {
            parsed.Add(new OptionValue(option, body[(equals + 1)..]));
            return true;
        }

        if (index + 1 >= args.Count)
        {
            error = $"option '--{option.Long}' requires an argument";
            return false;
        }

        parsed.Add(new OptionValue(option, args[++index]));
        return true;
    }

    private static bool TryFindLong(string name, out OptionSpec option, out string error)
    {
        option = null!;
        error = "";
        var exact = Options.All.FirstOrDefault(o => o.Long == name);
        if (exact is not null)
        {
            option = exact;
            return true;
        }

        var candidates = name.Length == 0 ? [] : Options.All.Where(o => o.Long.StartsWith(name, StringComparison.Ordinal)).ToList();
        switch (candidates.Count)
        {
            case 1:
                option = candidates[0];
                return true;
            case 0:
                error = $"unrecognized option '--{name}'";
                return false;
            default:
                error = $"option '--{name}' is ambiguous; possibilities: {string.Join(' ', candidates.Select(c => "'--" + c.Long + "'"))}";
                return false;
        }
    }

    private static bool TryParseShort(IReadOnlyList<string> args, ref int index, List<OptionValue> parsed, out string error)
    {
        error = "";
        var cluster = args[index];
        for (var position = 1; position < cluster.Length; position++)
        {
            var letter = cluster[position];
            var option = Options.All.FirstOrDefault(o => o.Short == letter && o.Short != OptionSpec.NoShort);
            if (option is null)
            {
                error = $"invalid option -- '{letter}'";
                return false;
            }

            if (!option.TakesValue)
            {
                parsed.Add(new OptionValue(option, null));
                continue;
            }

            if (position + 1 < cluster.Length)
            {
                parsed.Add(new OptionValue(option, cluster[(position + 1)..]));
                return true;
            }

            if (index + 1 >= args.Count)
            {
                error = $"option requires an argument -- '{letter}'";
                return false;
            }

            parsed.Add(new OptionValue(option, args[++index]));
            return true;
        }

        return true;
    }
}
