using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Transport;

/// <summary>Sends one request to a node and returns its response; tests put an in-memory node behind it.</summary>
public interface IAdminTransport
{
    /// <summary>Never throws for an unreachable or refusing node: it answers <see cref="AdmError.NodeUnreachable"/> instead.</summary>
    Task<AdmResponse> SendAsync(AdmRequest request, IProgress<AdmProgress>? progress, CancellationToken cancellationToken);
}
