using IscsiCluster.Config;

namespace IscsiCluster.Node.Configuration;

/// <summary>The <c>iscsi-cluster.node</c> section and the targets this node serves.</summary>
public sealed record NodeSettings(
    string Name,
    string DataDirectory,
    TimeSpan ShutdownTimeout,
    string LunDispatcher,
    IReadOnlyList<TargetSettings> Targets)
{
    public static NodeSettings Create(Config.Config config)
    {
        var node = config.GetConfig("iscsi-cluster.node");
        var targets = config.GetConfigList("iscsi-cluster.targets")
            .Select((target, index) => TargetSettings.Create(target, $"iscsi-cluster.targets[{index}]"))
            .ToList();
        var duplicate = targets.GroupBy(t => t.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new NodeConfigurationException($"iscsi-cluster.targets: target '{duplicate.Key}' is defined twice");
        }

        return new NodeSettings(
            node.GetString("name"),
            node.GetString("data-dir"),
            node.GetTimeSpan("shutdown-timeout"),
            node.GetString("lun-dispatcher"),
            targets);
    }
}

/// <summary>A configuration value that parses but makes no sense (duplicate target, LUN out of range, ...).</summary>
public sealed class NodeConfigurationException(string message) : Exception(message);
