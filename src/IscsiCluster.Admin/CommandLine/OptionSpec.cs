namespace IscsiCluster.Admin.CommandLine;

/// <summary>One command-line option: its getopt short letter (or none), long name, whether it takes a value, and help.</summary>
internal sealed record OptionSpec(char Short, string Long, bool TakesValue, string ValueName, string Help)
{
    /// <summary>The marker for long-only options.</summary>
    public const char NoShort = '\0';

    /// <summary>"-t, --tid" or "--dump", for messages and help.</summary>
    public string Display => Short == NoShort ? $"--{Long}" : $"-{Short}, --{Long}";
}
