namespace IscsiCluster.Scsi.Alua;

/// <summary>
/// The target port groups of a logical unit and their asymmetric access states (implicit ALUA, SPC-4 5.15.2), as the
/// node sees them now. The answer is the same whichever port asks: multipath software on Windows and ESXi asks on any
/// path and expects one picture. The node changes it (a failover); the unit then owes every nexus ASYMMETRIC ACCESS
/// STATE CHANGED (<see cref="DiskUnit.NotifyAsymmetricAccessStateChanged"/>).
/// </summary>
public interface IPortGroups
{
    /// <summary>Every group, in group order.</summary>
    IReadOnlyList<TargetPortGroup> Groups { get; }

    /// <summary>The state of <paramref name="group"/>; a group the unit does not know is unavailable.</summary>
    AsymmetricAccessState StateOf(ushort group);
}
