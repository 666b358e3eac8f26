namespace IscsiCluster.Scsi.Alua;

/// <summary>The asymmetric access state of a target port group (SPC-4 5.15.2.4, the values of table 249).</summary>
public enum AsymmetricAccessState : byte
{
    /// <summary>The group of the node that owns the logical unit: commands run there.</summary>
    ActiveOptimized = 0x0,

    /// <summary>Another live node's group: commands run, forwarded to the owner.</summary>
    ActiveNonOptimized = 0x1,

    Standby = 0x2,

    /// <summary>A node that is down or cut off: nothing but the reporting commands.</summary>
    Unavailable = 0x3,

    /// <summary>The owner is moving, or not serving yet: NOT READY, ASYMMETRIC ACCESS STATE TRANSITION.</summary>
    Transitioning = 0xF,
}
