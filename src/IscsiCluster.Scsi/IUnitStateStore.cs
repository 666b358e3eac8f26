namespace IscsiCluster.Scsi;

/// <summary>
/// Durable state of one logical unit, kept by the node in its replicated store so it
/// survives a restart and a failover (ARCHITECTURE invariant 4). Keys are chosen by the
/// SCSI layer (e.g. <see cref="DiskUnit.PersistentReservationsKey"/>); values are opaque.
/// Calls are made from the unit's single thread, and a call returns once the value is durable.
/// </summary>
public interface IUnitStateStore
{
    /// <summary>The value saved under <paramref name="key"/>, or null when there is none.</summary>
    byte[]? Load(string key);

    /// <summary>Saves <paramref name="value"/> under <paramref name="key"/>, replacing what was there.</summary>
    void Save(string key, ReadOnlySpan<byte> value);

    /// <summary>Removes <paramref name="key"/>; nothing happens when it is absent.</summary>
    void Delete(string key);

    /// <summary>
    /// True when the store keeps the unit's state across owners (a cluster): persistent reservations are then saved
    /// whatever APTPL says, since moving the LUN to another node is no power loss (SPC-4 5.13.5.3 lets APTPL only decide
    /// what survives a loss of power). For the same reason the current mode page values and the unit attentions owed to
    /// each nexus are saved too (<see cref="DiskUnit.ModePagesKey"/>, <see cref="DiskUnit.UnitAttentionsKey"/>); a store
    /// without it keeps neither, its restart being a power on.
    /// </summary>
    bool KeepsStateAcrossOwners => false;
}
