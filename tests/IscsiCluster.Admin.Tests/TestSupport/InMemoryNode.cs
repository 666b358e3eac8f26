using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Transport;

namespace IscsiCluster.Admin.Tests.TestSupport;

/// <summary>
/// A node reduced to its management behaviour: the configuration edited by <see cref="ConfigurationEditor"/>,
/// live sessions set by the test, backing stores with known sizes. It is also the transport the CLI talks to.
/// </summary>
internal sealed class InMemoryNode : IAdminTransport
{
    private ulong _nextVolumeId = 100;

    public ClusterConfiguration Configuration { get; set; } = ClusterConfiguration.Empty;

    public List<SessionInfo> Sessions { get; } = [];

    public Dictionary<string, long> BackingStores { get; } = new(StringComparer.Ordinal);

    public List<AdmRequest> Received { get; } = [];

    /// <summary>The node's iscsi-cluster.admin.chap.refuse-short-secrets.</summary>
    public bool RefuseShortSecrets { get; set; }

    public Task<AdmResponse> SendAsync(AdmRequest request, IProgress<AdmProgress>? progress, CancellationToken cancellationToken)
    {
        return Task.FromResult(Handle(request, progress));
    }

    public AdmResponse Handle(AdmRequest request, IProgress<AdmProgress>? progress = null)
    {
        Received.Add(request);
        long? size = request.BackingStore is { } path && BackingStores.TryGetValue(path, out var known) ? known : null;
        var context = new EditContext(Sessions.Select(s => s.Tid).ToHashSet(), size) { RefuseShortSecrets = RefuseShortSecrets };
        var result = ConfigurationEditor.Apply(Configuration, request, context);
        if (!result.Succeeded)
        {
            return result.ToFailureResponse();
        }

        if (result.Changed)
        {
            Configuration = AssignVolumes(result.Configuration, progress);
            if (request is { Mode: AdmMode.Target, Op: AdmOp.Delete })
            {
                Sessions.RemoveAll(s => s.Tid == request.Tid);
            }

            return AdmResponse.Ok();
        }

        return request.Op is AdmOp.Show or AdmOp.Stat
            ? AdmResponse.Ok(AdmPayload.ForShow(request, Configuration, Sessions, RuntimeInfo(Configuration)))
            : AdmResponse.Ok();
    }

    private ClusterConfiguration AssignVolumes(ClusterConfiguration configuration, IProgress<AdmProgress>? progress)
    {
        foreach (var target in configuration.Targets)
        {
            foreach (var lun in target.Luns.Where(l => l.VolumeId is null))
            {
                if (lun.Source == LunSource.Imported)
                {
                    progress?.Report(new AdmProgress($"importing {lun.BackingStoreDescription}", lun.SizeBytes / 2, lun.SizeBytes));
                    progress?.Report(new AdmProgress($"importing {lun.BackingStoreDescription}", lun.SizeBytes, lun.SizeBytes));
                }

                configuration = configuration.WithLunVolumeId(target.Tid, lun.Lun, _nextVolumeId++);
            }
        }

        return configuration;
    }

    /// <summary>tgt's identity strings, which is what a node reports until it derives its own.</summary>
    public static IReadOnlyList<LunRuntimeInfo> RuntimeInfo(ClusterConfiguration configuration) =>
        [.. configuration.Targets.SelectMany(t => t.Luns.Select(l => l.Lun).Prepend(0UL).Select(lun =>
            new LunRuntimeInfo(t.Tid, lun, $"IET     {t.Tid:x4}{lun:x4}", $"beaf{t.Tid}{lun}", true)))];
}
