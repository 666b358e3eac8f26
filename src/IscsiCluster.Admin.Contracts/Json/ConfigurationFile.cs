using System.Text;
using System.Text.Json;
using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Admin.Contracts.Json;

/// <summary>
/// The configuration on disk: one compact JSON document, replaced atomically (written beside, flushed to the
/// device, renamed over the old one), so a crash leaves either the old or the new configuration, never half.
/// </summary>
public static class ConfigurationFile
{
    private const string TemporarySuffix = ".tmp";

    /// <summary>The stored configuration, or <see cref="ClusterConfiguration.Empty"/> when the file does not exist.</summary>
    /// <exception cref="InvalidDataException">The file is not a configuration document (the message names the file).</exception>
    public static ClusterConfiguration Load(string path)
    {
        if (!File.Exists(path))
        {
            return ClusterConfiguration.Empty;
        }

        try
        {
            return AdminJson.DeserializeConfiguration(File.ReadAllText(path, Encoding.UTF8));
        }
        catch (JsonException exception)
        {
            throw new InvalidDataException($"{path} is not a valid IscsiCluster configuration: {exception.Message}", exception);
        }
    }

    /// <summary>Replaces the file with <paramref name="configuration"/>; returns once the data is on the device.</summary>
    public static void Save(string path, ClusterConfiguration configuration)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = path + TemporarySuffix;
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            stream.Write(Encoding.UTF8.GetBytes(AdminJson.Serialize(configuration)));
            stream.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
