using System.Reflection;
using IscsiCluster.Config.Parsing;

namespace IscsiCluster.Config;

/// <summary>Loads configuration shipped inside assemblies, such as each library's <c>reference.conf</c>.</summary>
public static class ConfigFactory
{
    /// <summary>Parses the embedded resource <paramref name="resourceName"/> of <paramref name="assembly"/>.</summary>
    public static Config FromResource(Assembly assembly, string resourceName)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        ArgumentNullException.ThrowIfNull(resourceName);
        var text = ResourceIncludeSource.Load(assembly, resourceName)
            ?? throw new ConfigException($"assembly {assembly.GetName().Name} has no embedded resource '{resourceName}'", resourceName, 0, null);
        return Config.ParseResource(text, assembly, resourceName);
    }
}
