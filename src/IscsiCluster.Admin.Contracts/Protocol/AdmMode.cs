namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>tgtadm's <c>--mode</c>: which kind of object a request is about.</summary>
public enum AdmMode
{
    System,
    Target,
    LogicalUnit,
    Portal,
    Session,
    Connection,
    Account,
    Lld,
}
