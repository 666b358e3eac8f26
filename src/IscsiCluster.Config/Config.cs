using IscsiCluster.Config.Parsing;
using IscsiCluster.Config.Resolution;
using IscsiCluster.Config.Values;

namespace IscsiCluster.Config;

/// <summary>
/// An immutable HOCON configuration. Parsing checks syntax at once; substitutions are resolved
/// against the whole document on first read (or by <see cref="Resolve"/>), so a file may refer to
/// keys that only a fallback added with <see cref="WithFallback"/> defines.
/// </summary>
public sealed partial class Config
{
    private const string StringOrigin = "<string>";

    private readonly ConfigObject _root;
    private readonly Lazy<ConfigObject> _resolved;

    /// <summary>The path of this object inside the document it came from, for error messages.</summary>
    private readonly string _pathPrefix;

    private Config(ConfigObject root, bool isResolved, string pathPrefix = "")
    {
        _root = root;
        _resolved = isResolved ? new Lazy<ConfigObject>(root) : new Lazy<ConfigObject>(() => Resolver.Resolve(root));
        _pathPrefix = pathPrefix;
    }

    public static Config Empty { get; } = new(new ConfigObject(new ConfigOrigin("empty config", 0)), isResolved: true);

    /// <summary>Parses HOCON text; includes are looked up relative to the working directory.</summary>
    public static Config ParseString(string text, string? origin = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new Config(Parser.Parse(text, origin ?? StringOrigin, new FileIncludeSource(null)), isResolved: false);
    }

    /// <summary>Parses a file; its includes are looked up relative to its directory.</summary>
    public static Config ParseFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ConfigException($"cannot read configuration file: {e.Message}", path, 0, null, e);
        }

        return new Config(Parser.Parse(text, path, FileIncludeSource.ForFile(path)), isResolved: false);
    }

    internal static Config ParseResource(string text, System.Reflection.Assembly assembly, string resourceName) =>
        new(Parser.Parse(text, resourceName, new ResourceIncludeSource(assembly, resourceName)), isResolved: false);

    /// <summary>True when this object has no keys.</summary>
    public bool IsEmpty => _root.Count == 0;

    /// <summary>
    /// Returns a config where this one's values win and <paramref name="fallback"/> fills in the rest;
    /// objects present in both merge. Substitutions then resolve against the combined document.
    /// </summary>
    public Config WithFallback(Config fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        if (fallback.IsEmpty)
        {
            return this;
        }

        var merged = Merger.MergeObjects(fallback._root, _root, ConfigPath.Root).WithKeysFirst(_root.Keys);
        return new Config(merged, isResolved: false, _pathPrefix);
    }

    /// <summary>Resolves every substitution now, so that errors surface here rather than at the first read.</summary>
    public Config Resolve() => new(Resolved, isResolved: true, _pathPrefix);

    /// <summary>The object at <paramref name="path"/> as a config of its own.</summary>
    public Config GetConfig(string path)
    {
        var (value, fullPath) = Lookup(path);
        return value is ConfigObject obj
            ? new Config(obj, isResolved: true, fullPath)
            : throw TypeError(value, fullPath, "expected an object");
    }

    /// <summary>True when <paramref name="path"/> exists and is not null.</summary>
    public bool HasPath(string path) => TryLookup(ConfigPath.ParseForLookup(path), out var value) && value is not ConfigScalar { Kind: ScalarKind.Null };

    /// <summary>The keys of this object, in the order they were first written.</summary>
    public IReadOnlyList<string> GetKeys() => Resolved.Keys;

    /// <summary>HOCON text for the resolved configuration; parsing it gives back the same values.</summary>
    public string Render() => Renderer.Render(Resolved);

    public override string ToString() => Render();

    private ConfigObject Resolved => _resolved.Value;

    private bool TryLookup(ConfigPath path, out ConfigValue value)
    {
        value = Resolved;
        foreach (var segment in path.Segments)
        {
            if (value is not ConfigObject obj || !obj.TryGetValue(segment, out value!))
            {
                value = Resolved;
                return false;
            }
        }

        return true;
    }

    private (ConfigValue Value, string FullPath) Lookup(string path)
    {
        var parsed = ConfigPath.ParseForLookup(path);
        var fullPath = FullPath(path);
        if (TryLookup(parsed, out var value))
        {
            return (value, fullPath);
        }

        throw new ConfigException("is missing", null, fullPath);
    }

    private string FullPath(string path) => _pathPrefix.Length == 0 ? path : $"{_pathPrefix}.{path}";

    private static ConfigException TypeError(ConfigValue value, string fullPath, string expected) =>
        new($"{expected}, got {value.Describe()}", value.Origin, fullPath);
}
