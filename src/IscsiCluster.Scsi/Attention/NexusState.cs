using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Attention;

/// <summary>
/// What a logical unit keeps per I_T nexus: the unit attention conditions it owes
/// (SAM-5 5.14). Later features (reservations, ALUA) add their per-nexus state here.
/// </summary>
/// <param name="nexus">The nexus.</param>
/// <param name="keptChanged">
/// Called when a condition that outlives a change of owner (<see cref="IsKept"/>) is established or cleared, so the
/// unit's table knows its saved form is out of date.
/// </param>
internal sealed class NexusState(ITNexus nexus, Action? keptChanged = null)
{
    private readonly List<SenseReason> _unitAttentions = [];

    /// <summary>The nexus as last seen (its port names are the key; the rest may be refreshed).</summary>
    public ITNexus Nexus { get; set; } = nexus;

    /// <summary>Where the nexus stands among the unit's lost nexuses; null while it is live.</summary>
    public LinkedListNode<NexusKey>? LostAt { get; set; }

    /// <summary>True when a unit attention is pending.</summary>
    public bool HasUnitAttention => _unitAttentions.Count > 0;

    /// <summary>The pending conditions that outlive a change of owner, oldest first.</summary>
    public IEnumerable<SenseReason> Kept => _unitAttentions.Where(IsKept);

    /// <summary>
    /// True for a condition the unit saves (<see cref="UnitAttentionPersistence"/>): one that tells of a change to the
    /// unit's state. The reset-class ones (29h) and ASYMMETRIC ACCESS STATE CHANGED are not kept: a nexus a new owner
    /// has not seen is owed POWER ON, RESET, OR BUS DEVICE RESET OCCURRED anyway, which says the same as any of them,
    /// and every new owner raises its own ASYMMETRIC ACCESS STATE CHANGED.
    /// </summary>
    public static bool IsKept(SenseReason reason) => reason is SenseReason.ModeParametersChanged
        or SenseReason.ReportedLunsDataHasChanged
        or SenseReason.ReservationsPreempted
        or SenseReason.ReservationsReleased
        or SenseReason.RegistrationsPreempted
        or SenseReason.CapacityDataHasChanged;

    /// <summary>
    /// Establishes a unit attention condition. A reset-class condition (ASC 29h) replaces
    /// every other pending one, since the reset discarded whatever they reported
    /// (SAM-5 6.3); any other condition is queued once.
    /// </summary>
    public void Establish(SenseReason reason)
    {
        if (IsReset(reason) && _unitAttentions.Count > 0)
        {
            var hadKept = _unitAttentions.Exists(IsKept);
            _unitAttentions.Clear();
            if (hadKept)
            {
                keptChanged?.Invoke();
            }
        }

        if (!_unitAttentions.Contains(reason))
        {
            _unitAttentions.Add(reason);
            if (IsKept(reason))
            {
                keptChanged?.Invoke();
            }
        }
    }

    /// <summary>Reports and clears the oldest pending unit attention (SAM-5 5.14, UA_INTLCK_CTRL 00b).</summary>
    public bool TryTake(out SenseReason reason)
    {
        if (_unitAttentions.Count == 0)
        {
            reason = default;
            return false;
        }

        reason = _unitAttentions[0];
        _unitAttentions.RemoveAt(0);
        if (IsKept(reason))
        {
            keptChanged?.Invoke();
        }

        return true;
    }

    /// <summary>Clears one kind of pending unit attention (e.g. REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED).</summary>
    public void Clear(SenseReason reason)
    {
        if (_unitAttentions.Remove(reason) && IsKept(reason))
        {
            keptChanged?.Invoke();
        }
    }

    private static bool IsReset(SenseReason reason) => reason is SenseReason.PowerOnResetOccurred
        or SenseReason.PowerOnOccurred
        or SenseReason.BusDeviceResetFunctionOccurred
        or SenseReason.ITNexusLossOccurred;
}
