using IscsiCluster.Admin.Contracts.Protocol;

namespace IscsiCluster.Admin.Server;

/// <summary>What the node does with one authorized request. It may report progress any number of times before returning.</summary>
public delegate Task<AdmResponse> AdminRequestHandler(AdmRequest request, IAdminProgress progress, CancellationToken cancellationToken);

/// <summary>Sends progress lines to the client of the current request (e.g. while a backing store is imported).</summary>
public interface IAdminProgress
{
    ValueTask ReportAsync(AdmProgress progress, CancellationToken cancellationToken);
}
