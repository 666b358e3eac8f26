using System.Collections.Immutable;

namespace IscsiCluster.Config.Values;

/// <summary>An object: fields in the order their keys first appeared.</summary>
internal sealed class ConfigObject : ConfigValue
{
    private readonly ImmutableList<string> _keys;
    private readonly ImmutableDictionary<string, ConfigValue> _fields;

    public ConfigObject(ConfigOrigin origin)
        : this(origin, [], ImmutableDictionary<string, ConfigValue>.Empty.WithComparers(StringComparer.Ordinal))
    {
    }

    private ConfigObject(ConfigOrigin origin, ImmutableList<string> keys, ImmutableDictionary<string, ConfigValue> fields)
        : base(origin)
    {
        _keys = keys;
        _fields = fields;
    }

    public IReadOnlyList<string> Keys => _keys;

    public int Count => _keys.Count;

    public ConfigValue this[string key] => _fields[key];

    public bool TryGetValue(string key, out ConfigValue value) => _fields.TryGetValue(key, out value!);

    public ConfigValue? GetOrNull(string key) => _fields.GetValueOrDefault(key);

    public ConfigObject With(string key, ConfigValue value) =>
        _fields.ContainsKey(key)
            ? new ConfigObject(Origin, _keys, _fields.SetItem(key, value))
            : new ConfigObject(Origin, _keys.Add(key), _fields.Add(key, value));

    /// <summary>The same fields with <paramref name="firstKeys"/> listed first (used when a config takes a fallback).</summary>
    public ConfigObject WithKeysFirst(IReadOnlyList<string> firstKeys)
    {
        var ordered = firstKeys.Where(_fields.ContainsKey).Concat(_keys.Where(k => !firstKeys.Contains(k))).ToImmutableList();
        return new ConfigObject(Origin, ordered, _fields);
    }

    public override string Describe() => "an object";
}
