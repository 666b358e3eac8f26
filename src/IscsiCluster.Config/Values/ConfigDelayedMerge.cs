namespace IscsiCluster.Config.Values;

/// <summary>
/// Values assigned to one key whose merge must wait for resolution because one of them is
/// unresolved: <c>a = { x = 1 }</c> followed by <c>a = ${b}</c> merges only if <c>${b}</c> is an object
/// (HOCON spec, "Duplicate keys and object merging"). <see cref="Layers"/> runs from highest priority down.
/// </summary>
internal sealed class ConfigDelayedMerge(ConfigOrigin origin, IReadOnlyList<ConfigValue> layers) : ConfigValue(origin)
{
    public IReadOnlyList<ConfigValue> Layers { get; } = layers;

    public override bool IsConcrete => false;

    public override string Describe() => "a merge of several values";
}
