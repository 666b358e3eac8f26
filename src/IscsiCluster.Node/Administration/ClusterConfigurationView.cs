using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The cluster's configuration as this node last received it, readable from any thread (LUN owners read their
/// definition and their target's LUNs here). The node's configuration actor replaces it; <see cref="Changed"/> follows.
/// </summary>
public sealed class ClusterConfigurationView
{
    private volatile Snapshot _current = new(0, ClusterConfiguration.Empty);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after the configuration was replaced (on the configuration actor's thread).</summary>
    public event Action<ClusterConfiguration>? Changed;

    public long Version => _current.Version;

    public ClusterConfiguration Current => _current.Configuration;

    /// <summary>Completes once a configuration from the cluster has been received.</summary>
    public Task Loaded => _loaded.Task;

    public bool TryFindLun(ulong volumeId, out TargetDefinition target, out LunDefinition lun)
    {
        foreach (var candidate in Current.Targets)
        {
            foreach (var definition in candidate.Luns)
            {
                if (definition.VolumeId == volumeId)
                {
                    (target, lun) = (candidate, definition);
                    return true;
                }
            }
        }

        (target, lun) = (null!, null!);
        return false;
    }

    internal void Replace(long version, ClusterConfiguration configuration, bool fromCluster)
    {
        _current = new Snapshot(version, configuration);
        if (fromCluster)
        {
            _loaded.TrySetResult();
        }

        Changed?.Invoke(configuration);
    }

    private sealed record Snapshot(long Version, ClusterConfiguration Configuration);
}
