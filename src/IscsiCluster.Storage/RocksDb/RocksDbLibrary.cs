using System.Reflection;
using RocksDbSharp;

namespace IscsiCluster.Storage.RocksDb;

/// <summary>Which RocksDB the process runs: RocksDbSharp's version and the native file it loaded.</summary>
internal static class RocksDbLibrary
{
    /// <summary>
    /// RocksDbSharp's package version, e.g. <c>11.12.0.7641</c>: the first three numbers are the
    /// bundled RocksDB's own (its C API has no version call), the fourth the package's build.
    /// </summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>The native library file RocksDbSharp loaded; loads it on first use.</summary>
    public static string LoadedPath
    {
        get
        {
            // Native's static constructor probes for and loads the library.
            _ = Native.Instance;
            return NativeImport.Auto.LoadedPath;
        }
    }

    private static string ReadVersion()
    {
        var assembly = typeof(Native).Assembly;
        var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString()
            ?? "unknown";

        // The informational version ends in "+<commit>" of the binding's sources.
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? version : version[..plus];
    }
}
