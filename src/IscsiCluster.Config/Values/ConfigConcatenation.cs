namespace IscsiCluster.Config.Values;

/// <summary>
/// Several values written side by side on one line: <c>"foo" ${bar} baz</c>, <c>${list} [1]</c>
/// (HOCON spec, "Value concatenation"). Whitespace between them is kept as <see cref="ConfigWhitespace"/>.
/// </summary>
internal sealed class ConfigConcatenation(ConfigOrigin origin, IReadOnlyList<ConfigValue> parts) : ConfigValue(origin)
{
    public IReadOnlyList<ConfigValue> Parts { get; } = parts;

    public override bool IsConcrete => false;

    public override string Describe() => "a concatenation";
}

/// <summary>Unquoted whitespace between two parts of a concatenation: kept in strings, ignored between objects or lists.</summary>
internal sealed class ConfigWhitespace(ConfigOrigin origin, string text) : ConfigValue(origin)
{
    public string Text { get; } = text;

    public override bool IsConcrete => false;

    public override string Describe() => "whitespace";
}
