using AkkaConfig = Akka.Configuration.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace IscsiCluster.Config;

/// <summary>
/// The <c>akka</c> section of a node's configuration, handed to Akka.NET. The node's files hold
/// <c>akka { ... }</c> and <c>iscsi-cluster { ... }</c> in one tree that this library parses and
/// resolves (includes, substitutions, <c>+=</c>, every error with its origin); Akka then receives
/// the resolved section rendered as plain HOCON (no substitution, include or concatenation left),
/// which its own parser reads without the gaps it has with the full language. Akka's reference
/// defaults stay behind it, as Akka puts them behind any configuration it is given.
/// </summary>
public static class AkkaSection
{
    /// <summary>The root key Akka.NET reads.</summary>
    public const string Key = "akka";

    /// <summary>The resolved <c>akka</c> section of <paramref name="config"/>; empty when it has none.</summary>
    /// <exception cref="ConfigException">The section does not resolve, or is not an object.</exception>
    public static AkkaConfig From(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        if (!config.HasPath(Key))
        {
            return AkkaConfig.Empty;
        }

        var text = Render(config);
        try
        {
            return AkkaConfigurationFactory.ParseString(text);
        }
        catch (Exception e)
        {
            // The text is this library's own rendering of a resolved tree, so this is a defect here, not in the file.
            throw new ConfigException($"Akka.NET could not read the rendered '{Key}' section ({e.Message})", e);
        }
    }

    /// <summary>The text handed to Akka: <c>akka { ... }</c> with every value resolved.</summary>
    public static string Render(Config config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var section = config.GetConfig(Key);
        return $"{Key} {{\n{section.Render()}}}\n";
    }
}
