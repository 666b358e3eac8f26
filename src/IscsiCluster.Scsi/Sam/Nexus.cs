namespace IscsiCluster.Scsi.Sam;

/// <summary>
/// An I_T nexus (SAM-5 4.7): one initiator port talking to one target port.
/// Port names are transport-independent strings; for iSCSI they are
/// "iqn...,i,0x&lt;ISID&gt;" and "iqn...,t,0x&lt;TPGT&gt;" (RFC 7143 section 4.4.2 / SPC-4 7.6.4.6).
/// Persistent reservations, unit attentions and sense data are kept per nexus.
/// </summary>
/// <param name="InitiatorName">The initiator's SCSI name without the ISID (iSCSI: the IQN).</param>
/// <param name="InitiatorPortName">The full initiator port name (name plus ISID).</param>
/// <param name="TargetName">The target's SCSI name.</param>
/// <param name="TargetPortGroup">The target port group this nexus enters by (one group per node).</param>
/// <param name="RelativeTargetPortId">The relative target port identifier (1-based, SPC-4 7.8.6.6).</param>
public sealed record ITNexus(
    string InitiatorName,
    string InitiatorPortName,
    string TargetName,
    ushort TargetPortGroup,
    ushort RelativeTargetPortId);
