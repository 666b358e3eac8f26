namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>tgtadm's <c>--op</c>: what to do with the object named by the mode.</summary>
public enum AdmOp
{
    New,
    Delete,
    Bind,
    Unbind,
    Show,
    Update,
    Stat,
    Start,
    Stop,
}
