namespace IscsiCluster.Admin.Contracts.Model;

/// <summary>
/// A target's state as tgt names it (<c>--op update --name state --value ready|offline</c>):
/// an offline target keeps its configuration but accepts no new logins.
/// </summary>
public enum TargetState
{
    Ready,
    Offline,
}
