using IscsiCluster.Config.Values;

namespace IscsiCluster.Config.Resolution;

/// <summary>
/// Replaces every substitution, concatenation and delayed merge with a concrete value, looking
/// substitutions up in the whole document and then in the environment (HOCON spec, "Substitutions").
/// Results are memoized by node; a node met again while it is being resolved is a cycle.
/// </summary>
internal sealed class Resolver
{
    /// <summary>Deepest chain of nested resolutions; guards the stack against long substitution chains.</summary>
    private const int MaxDepth = 200;

    private readonly ConfigObject _root;
    private readonly Dictionary<ConfigValue, ConfigValue?> _heads = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ConfigValue, ConfigValue?> _resolved = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<ConfigValue> _inProgress = new(ReferenceEqualityComparer.Instance);
    private int _depth;

    private Resolver(ConfigObject root)
    {
        _root = root;
    }

    public static ConfigObject Resolve(ConfigObject root) =>
        (ConfigObject?)new Resolver(root).Resolve(root, ConfigPath.Root) ?? new ConfigObject(root.Origin);

    /// <summary>Fully resolves a value; null means undefined (an optional substitution with no target).</summary>
    private ConfigValue? Resolve(ConfigValue value, ConfigPath path)
    {
        var head = Head(value, path);
        if (head is null || head is ConfigScalar)
        {
            return head;
        }

        if (_resolved.TryGetValue(head, out var done))
        {
            return done;
        }

        Enter(head, path);
        ConfigValue result;
        if (head is ConfigObject obj)
        {
            var resolved = new ConfigObject(obj.Origin);
            foreach (var key in obj.Keys)
            {
                if (Resolve(obj[key], path.Append(key)) is { } field)
                {
                    resolved = resolved.With(key, field);
                }
            }

            result = resolved;
        }
        else
        {
            var list = (ConfigList)head;
            var items = new List<ConfigValue>(list.Items.Count);
            foreach (var item in list.Items)
            {
                if (Resolve(item, path) is { } resolvedItem)
                {
                    items.Add(resolvedItem);
                }
            }

            result = new ConfigList(list.Origin, items);
        }

        Leave(head);
        _resolved[head] = result;
        return result;
    }

    /// <summary>
    /// Resolves a value only as far as its kind: an object whose fields may still be unresolved,
    /// a list whose items may be, or a scalar. Lookups walk through heads so that a field may refer
    /// to a sibling inside the object that holds it.
    /// </summary>
    private ConfigValue? Head(ConfigValue value, ConfigPath path)
    {
        if (value.IsConcrete || value is ConfigWhitespace)
        {
            return value;
        }

        if (_heads.TryGetValue(value, out var known))
        {
            return known;
        }

        Enter(value, path);
        var head = value switch
        {
            ConfigSubstitution substitution => Lookup(substitution, path),
            ConfigConcatenation concatenation => Concatenator.Concatenate(concatenation, concatenation.Parts.Select(p => Head(p, path)), path),
            ConfigDelayedMerge merge => MergeLayers(merge, path),
            _ => throw new ConfigException($"unexpected {value.Describe()}", value.Origin, path.ToString()),
        };
        Leave(value);
        _heads[value] = head;
        return head;
    }

    private ConfigValue? Lookup(ConfigSubstitution substitution, ConfigPath path)
    {
        if (!substitution.PendingSelfReference)
        {
            var found = Find(substitution.Path, path);
            if (found is null && !substitution.Written.Equals(substitution.Path))
            {
                found = Find(substitution.Written, path);
            }

            if (found is not null)
            {
                return found;
            }
        }

        // HOCON spec, "Substitution fallback to environment variables".
        var variable = string.Join('.', substitution.Written.Segments);
        if (Environment.GetEnvironmentVariable(variable) is { } text)
        {
            return ConfigScalar.String(substitution.Origin, text);
        }

        return substitution.Optional
            ? null
            : throw new ConfigException(
                $"could not resolve substitution {substitution.Describe()}: no such key and no environment variable '{variable}'",
                substitution.Origin,
                path.ToString());
    }

    private ConfigValue? Find(ConfigPath target, ConfigPath requester)
    {
        ConfigValue? current = _root;
        foreach (var segment in target.Segments)
        {
            if (current is null || Head(current, requester) is not ConfigObject obj)
            {
                return null;
            }

            current = obj.GetOrNull(segment);
        }

        return current is null ? null : Head(current, requester);
    }

    /// <summary>Layers run from highest priority: objects merge until a non-object hides everything below it.</summary>
    private ConfigValue? MergeLayers(ConfigDelayedMerge merge, ConfigPath path)
    {
        ConfigObject? merged = null;
        foreach (var layer in merge.Layers)
        {
            var head = Head(layer, path);
            if (head is null)
            {
                continue;
            }

            if (head is not ConfigObject obj)
            {
                return merged ?? head;
            }

            merged = merged is null ? obj : Merger.MergeObjects(obj, merged, null);
        }

        return merged;
    }

    private void Enter(ConfigValue value, ConfigPath path)
    {
        if (!_inProgress.Add(value))
        {
            throw new ConfigException(
                $"substitution cycle: {value.Describe()} (line {value.Origin.Line}) depends on its own value",
                value.Origin,
                path.ToString());
        }

        if (++_depth > MaxDepth)
        {
            throw new ConfigException($"substitutions are chained more than {MaxDepth} levels deep", value.Origin, path.ToString());
        }
    }

    private void Leave(ConfigValue value)
    {
        _inProgress.Remove(value);
        _depth--;
    }
}
