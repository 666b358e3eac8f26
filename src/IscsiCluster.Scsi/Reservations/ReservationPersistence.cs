namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// Keeps the persistent reservation state in the unit's <see cref="IUnitStateStore"/> while
/// APTPL is in effect (SPC-4 5.13.5): saved after every change, deleted once APTPL is
/// cleared or nothing is left to keep. Without a store the unit cannot persist through
/// power loss (PTPL_C zero) and APTPL one is refused.
/// </summary>
internal sealed class ReservationPersistence(IUnitStateStore? store, string key)
{
    /// <summary>PTPL_C: true when a store is there to persist to.</summary>
    public bool Capable => store is not null;

    /// <summary>Saves or deletes the state after a change.</summary>
    public void Persist(ReservationState state)
    {
        if (store is null)
        {
            return;
        }

        if ((state.Aptpl || store.KeepsStateAcrossOwners) && state.Registrations.Count > 0)
        {
            store.Save(key, ReservationStateCodec.Encode(state));
        }
        else
        {
            store.Delete(key);
        }
    }

    /// <summary>
    /// Loads saved state into the empty <paramref name="state"/>. Returns false when saved
    /// state was there but could not be decoded: the unit then starts with no registrations,
    /// as after a power loss without APTPL, and the caller reports it.
    /// </summary>
    public bool TryRestore(ReservationState state)
    {
        var saved = store?.Load(key);
        return saved is null || ReservationStateCodec.TryDecode(saved, state);
    }
}
