namespace IscsiCluster.Config.Values;

/// <summary>
/// A node of the HOCON tree. Objects, lists and scalars are concrete; substitutions,
/// concatenations and delayed merges exist only until the document is resolved.
/// Nodes are immutable, so the resolver can memoize them by reference.
/// </summary>
internal abstract class ConfigValue(ConfigOrigin origin)
{
    public ConfigOrigin Origin { get; } = origin;

    /// <summary>True for objects, lists and scalars: nodes that need no resolution of their own.</summary>
    public virtual bool IsConcrete => true;

    /// <summary>How the value is named in a type error: <c>"abc"</c>, <c>42</c>, <c>an object</c>.</summary>
    public abstract string Describe();
}
