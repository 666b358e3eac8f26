namespace IscsiCluster.Scsi.Alua;

/// <summary>One target port group of a logical unit as REPORT TARGET PORT GROUPS lists it: one node, one port.</summary>
/// <param name="Group">The target port group identifier (the node's portal group tag).</param>
/// <param name="State">Its asymmetric access state.</param>
/// <param name="RelativePortId">The relative target port identifier of its one port.</param>
public readonly record struct TargetPortGroup(ushort Group, AsymmetricAccessState State, ushort RelativePortId);
