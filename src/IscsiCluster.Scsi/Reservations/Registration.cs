using IscsiCluster.Scsi.Attention;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// One registration (SPC-4 5.13.7): an I_T nexus and its reservation key. A registration
/// made with ALL_TG_PT covers the initiator port through every target port, and is kept as
/// one registration with <see cref="RelativeTargetPortId"/> zero (relative port ids start at 1).
/// </summary>
internal sealed class Registration(string initiatorPortName, string targetName, ushort relativeTargetPortId, ulong key)
{
    /// <summary>The value of <see cref="RelativeTargetPortId"/> for a registration through every target port.</summary>
    public const ushort AllTargetPorts = 0;

    /// <summary>The initiator port: iSCSI name, ",i,0x" and the ISID (SPC-4 7.6.4.6).</summary>
    public string InitiatorPortName { get; } = initiatorPortName;

    /// <summary>The SCSI target device name.</summary>
    public string TargetName { get; } = targetName;

    /// <summary>The target port, or <see cref="AllTargetPorts"/>.</summary>
    public ushort RelativeTargetPortId { get; } = relativeTargetPortId;

    /// <summary>The reservation key.</summary>
    public ulong Key { get; set; } = key;

    /// <summary>True when the registration was made with ALL_TG_PT.</summary>
    public bool IsAllTargetPorts => RelativeTargetPortId == AllTargetPorts;

    /// <summary>A registration of <paramref name="nexus"/>, through its own target port or every one.</summary>
    public static Registration Of(NexusKey nexus, ulong key, bool allTargetPorts) =>
        new(nexus.InitiatorPortName, nexus.TargetName, allTargetPorts ? AllTargetPorts : nexus.RelativeTargetPortId, key);

    /// <summary>
    /// True when <paramref name="nexus"/> is registered by this registration. iSCSI names and the
    /// hexadecimal ISID compare without regard to case (RFC 3722 normalizes names to lower case).
    /// </summary>
    public bool Matches(NexusKey nexus) =>
        string.Equals(InitiatorPortName, nexus.InitiatorPortName, StringComparison.OrdinalIgnoreCase)
        && string.Equals(TargetName, nexus.TargetName, StringComparison.OrdinalIgnoreCase)
        && (IsAllTargetPorts || RelativeTargetPortId == nexus.RelativeTargetPortId);
}
