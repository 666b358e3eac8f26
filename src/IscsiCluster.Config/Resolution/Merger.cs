using IscsiCluster.Config.Values;

namespace IscsiCluster.Config.Resolution;

/// <summary>
/// Merges a later value of a key into an earlier one (HOCON spec, "Duplicate keys and object merging"):
/// two objects merge field by field, anything else overrides. A later value that refers to its own
/// field (<c>a = ${a} [x]</c>, <c>a += x</c>) gets the earlier value in place of that reference
/// ("Self-referential substitutions"). Where either side is still unresolved, the merge is delayed.
/// </summary>
internal static class Merger
{
    /// <summary>Merges <paramref name="later"/> over <paramref name="earlier"/> for the field at <paramref name="path"/>.</summary>
    /// <param name="path">The field's absolute path, or null where paths have no meaning (objects inside lists).</param>
    public static ConfigValue Merge(ConfigValue? earlier, ConfigValue later, ConfigPath? path)
    {
        if (later is ConfigObject laterObject)
        {
            return earlier switch
            {
                ConfigObject earlierObject => MergeObjects(earlierObject, laterObject, path),
                null or { IsConcrete: true } => MergeObjects(new ConfigObject(laterObject.Origin), laterObject, path),
                _ => Delay(MergeObjects(new ConfigObject(laterObject.Origin), laterObject, path), earlier),
            };
        }

        // An unresolved later value keeps the earlier one beneath it: it may turn out to be an object
        // that merges with it, or an undefined ${?x} that leaves it in place.
        var replaced = path is null ? later : ReplaceSelfReferences(later, path, earlier, out _);
        return earlier is null || replaced.IsConcrete || ReferencesSelf(later, path) ? replaced : Delay(replaced, earlier);
    }

    /// <summary>Merges every field of <paramref name="later"/> into <paramref name="earlier"/>, keeping the earlier key order.</summary>
    public static ConfigObject MergeObjects(ConfigObject earlier, ConfigObject later, ConfigPath? path)
    {
        var result = earlier;
        foreach (var key in later.Keys)
        {
            result = result.With(key, Merge(result.GetOrNull(key), later[key], path?.Append(key)));
        }

        return result;
    }

    private static ConfigDelayedMerge Delay(ConfigValue later, ConfigValue earlier)
    {
        var layers = new List<ConfigValue> { later };
        if (earlier is ConfigDelayedMerge delayed)
        {
            layers.AddRange(delayed.Layers);
        }
        else
        {
            layers.Add(earlier);
        }

        return new ConfigDelayedMerge(later.Origin, layers);
    }

    private static bool ReferencesSelf(ConfigValue value, ConfigPath? path) => value switch
    {
        _ when path is null => false,
        ConfigSubstitution substitution => substitution.Path.StartsWith(path),
        ConfigConcatenation concatenation => concatenation.Parts.Any(p => ReferencesSelf(p, path)),
        ConfigList list => list.Items.Any(i => ReferencesSelf(i, path)),
        _ => false,
    };

    /// <summary>
    /// Replaces substitutions of <paramref name="path"/> (or of a path inside it) with the earlier value;
    /// with no earlier value they become pending self-references for a later merge or the environment.
    /// </summary>
    private static ConfigValue ReplaceSelfReferences(ConfigValue value, ConfigPath path, ConfigValue? earlier, out bool changed)
    {
        changed = false;
        switch (value)
        {
            case ConfigSubstitution substitution when substitution.Path.StartsWith(path):
                changed = true;
                return Navigate(earlier, substitution.Path.Skip(path.Length), out var found) switch
                {
                    NavigationResult.Found => found!,
                    NavigationResult.Undefined => substitution.AsPendingSelfReference(),
                    _ => substitution,
                };
            case ConfigConcatenation concatenation:
                var parts = ReplaceAll(concatenation.Parts, path, earlier, out changed);
                return changed ? new ConfigConcatenation(concatenation.Origin, parts) : concatenation;
            case ConfigList list:
                var items = ReplaceAll(list.Items, path, earlier, out changed);
                return changed ? new ConfigList(list.Origin, items) : list;
            default:
                return value;
        }
    }

    private static List<ConfigValue> ReplaceAll(IReadOnlyList<ConfigValue> values, ConfigPath path, ConfigValue? earlier, out bool changed)
    {
        changed = false;
        var result = new List<ConfigValue>(values.Count);
        foreach (var value in values)
        {
            result.Add(ReplaceSelfReferences(value, path, earlier, out var one));
            changed |= one;
        }

        return result;
    }

    /// <summary>Walks the earlier value through concrete objects to the referenced part of it.</summary>
    private static NavigationResult Navigate(ConfigValue? earlier, ConfigPath relative, out ConfigValue? found)
    {
        found = earlier;
        foreach (var segment in relative.Segments)
        {
            switch (found)
            {
                case null:
                    return NavigationResult.Undefined;
                case ConfigObject obj:
                    found = obj.GetOrNull(segment);
                    break;
                case { IsConcrete: true }:
                    return NavigationResult.Undefined;
                default:
                    return NavigationResult.Blocked;
            }
        }

        return found is null ? NavigationResult.Undefined : NavigationResult.Found;
    }

    private enum NavigationResult
    {
        Found,
        Undefined,

        /// <summary>An unresolved value lies on the way; the substitution is left for the resolver.</summary>
        Blocked,
    }
}
