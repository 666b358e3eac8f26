namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>What only the running node knows about a LUN, for show: its SCSI identity and whether it serves I/O.</summary>
/// <param name="Tid">The target.</param>
/// <param name="Lun">The LUN (0 is the controller).</param>
/// <param name="ScsiId">What show prints as "SCSI ID" (the device identifier reported in VPD page 0x83).</param>
/// <param name="ScsiSerial">What show prints as "SCSI SN" (the unit serial number of VPD page 0x80).</param>
/// <param name="Online">Whether the LUN actor serves commands.</param>
public sealed record LunRuntimeInfo(int Tid, ulong Lun, string ScsiId, string ScsiSerial, bool Online);
