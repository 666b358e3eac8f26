using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Scsi.Attention;

/// <summary>
/// Identifies an I_T nexus (SAM-5 4.7): the initiator port plus the target port
/// (target name and relative target port identifier).
/// </summary>
internal readonly record struct NexusKey(string InitiatorPortName, string TargetName, ushort RelativeTargetPortId)
{
    public static NexusKey From(ITNexus nexus) =>
        new(nexus.InitiatorPortName, nexus.TargetName, nexus.RelativeTargetPortId);
}
