using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Contracts.Editing;

/// <summary>The outcome of applying one request: the configuration to keep (unchanged on failure) or why it was refused.</summary>
/// <param name="Configuration">The new configuration on success, the original one otherwise.</param>
/// <param name="Error">Success, or the reason from <see cref="AdmErrors"/>.</param>
/// <param name="Detail">Facts for the administrator, never a secret.</param>
/// <param name="Changed">Whether <paramref name="Configuration"/> differs from the input (a read-only op leaves it as it was).</param>
public sealed record EditResult(ClusterConfiguration Configuration, AdmError Error, string? Detail, bool Changed)
{
    public bool Succeeded => Error == AdmError.Success;

    internal static EditResult Updated(ClusterConfiguration configuration) => new(configuration, AdmError.Success, null, true);

    internal static EditResult Unchanged(ClusterConfiguration configuration) => new(configuration, AdmError.Success, null, false);

    internal static EditResult Refused(ClusterConfiguration configuration, AdmError error, string? detail = null) =>
        new(configuration, error, detail, false);

    /// <summary>The response a node sends for a refused edit.</summary>
    public AdmResponse ToFailureResponse() => AdmResponse.Failure(Error, Detail);
}
