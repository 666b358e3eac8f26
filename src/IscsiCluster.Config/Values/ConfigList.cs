namespace IscsiCluster.Config.Values;

internal sealed class ConfigList(ConfigOrigin origin, IReadOnlyList<ConfigValue> items) : ConfigValue(origin)
{
    public IReadOnlyList<ConfigValue> Items { get; } = items;

    public override string Describe() => "a list";
}
