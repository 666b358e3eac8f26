namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>Progress of a long request (a backing-store import), sent before the final response.</summary>
/// <param name="Activity">What is in progress, e.g. "importing /dev/sda5".</param>
/// <param name="DoneBytes">Bytes done so far.</param>
/// <param name="TotalBytes">Bytes to do in all.</param>
public sealed record AdmProgress(string Activity, long DoneBytes, long TotalBytes);
