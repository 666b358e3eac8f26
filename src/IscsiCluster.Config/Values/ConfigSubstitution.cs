namespace IscsiCluster.Config.Values;

/// <summary>
/// <c>${path}</c> or <c>${?path}</c> (HOCON spec, "Substitutions").
/// </summary>
/// <param name="Path">The path looked up in the whole document (already prefixed when it came from an include).</param>
/// <param name="Optional">True for <c>${?path}</c>: an undefined target leaves the field undefined.</param>
/// <param name="Written">The path as written, tried after <paramref name="Path"/> and used as the environment variable name.</param>
/// <param name="PendingSelfReference">
/// A self-reference (<c>a = ${a} x</c>) met before any earlier value of the field: a later merge
/// replaces it with the earlier value; if none ever arrives, only the environment can answer it.
/// </param>
internal sealed class ConfigSubstitution(
    ConfigOrigin origin,
    ConfigPath path,
    bool optional,
    ConfigPath written,
    bool pendingSelfReference = false) : ConfigValue(origin)
{
    public ConfigPath Path { get; } = path;

    public bool Optional { get; } = optional;

    public ConfigPath Written { get; } = written;

    public bool PendingSelfReference { get; } = pendingSelfReference;

    public override bool IsConcrete => false;

    public ConfigSubstitution AsPendingSelfReference() => new(Origin, Path, Optional, Written, pendingSelfReference: true);

    public override string Describe() => Optional ? $"${{?{Written}}}" : $"${{{Written}}}";
}
