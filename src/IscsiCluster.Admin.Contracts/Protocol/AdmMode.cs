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

    /// <summary>The cluster's nodes and where each LUN is served from (not in tgtadm).</summary>
    Cluster,
}
