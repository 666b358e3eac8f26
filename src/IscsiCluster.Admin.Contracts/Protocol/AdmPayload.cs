using IscsiCluster.Admin.Contracts.Model;

namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>What a show or stat request returns: the configuration and the live state the node adds to it.</summary>
/// <param name="Configuration">The whole configuration (passwords emptied unless the request asked for secrets).</param>
/// <param name="Sessions">Live sessions (I_T nexuses) of every target.</param>
/// <param name="Luns">SCSI identity and state of every LUN, LUN 0 included.</param>
/// <param name="Statistics">I/O counters, for <c>--op stat</c>.</param>
/// <param name="Cluster">Nodes, owners and replicas, for <c>--mode cluster --op show</c>.</param>
public sealed record AdmPayload(
    ClusterConfiguration? Configuration = null,
    IReadOnlyList<SessionInfo>? Sessions = null,
    IReadOnlyList<LunRuntimeInfo>? Luns = null,
    IReadOnlyList<LunStatistics>? Statistics = null,
    ClusterStatus? Cluster = null)
{
    /// <summary>The payload of a show request; secrets are removed unless <see cref="AdmRequest.IncludeSecrets"/> asked for them.</summary>
    public static AdmPayload ForShow(
        AdmRequest request,
        ClusterConfiguration configuration,
        IReadOnlyList<SessionInfo> sessions,
        IReadOnlyList<LunRuntimeInfo> luns) =>
        new(request.IncludeSecrets ? configuration : configuration.WithoutSecrets(), sessions, luns);
}
