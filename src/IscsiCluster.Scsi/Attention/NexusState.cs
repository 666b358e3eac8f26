using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Attention;

/// <summary>
/// What a logical unit keeps per I_T nexus: the unit attention conditions it owes
/// (SAM-5 5.14). Later features (reservations, ALUA) add their per-nexus state here.
/// </summary>
internal sealed class NexusState(ITNexus nexus)
{
    private readonly List<SenseReason> _unitAttentions = [];

    /// <summary>The nexus as last seen (its port names are the key; the rest may be refreshed).</summary>
    public ITNexus Nexus { get; set; } = nexus;

    /// <summary>Where the nexus stands among the unit's lost nexuses; null while it is live.</summary>
    public LinkedListNode<NexusKey>? LostAt { get; set; }

        /// <summary>True when a unit attention is pending.</summary>
    public bool HasUnitAttention => _unitAttentions.Count > 0;

    /// <summary>
    /// Establishes a unit attention condition. A reset-class condition (ASC 29h) replaces
    /// every other pending one, since the reset discarded whatever they reported
    /// (SAM-5 6.3); any other condition is queued once.
    /// </summary>
    public void Establish(SenseReason reason)
    {
        if (IsReset(reason))
        {
            _unitAttentions.Clear();
        }

        if (!_unitAttentions.Contains(reason))
        {
            _unitAttentions.Add(reason);
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
        return true;
    }

    /// <summary>Clears one kind of pending unit attention (e.g. REPORT LUNS clears REPORTED LUNS DATA HAS CHANGED).</summary>
    public void Clear(SenseReason reason) => _unitAttentions.Remove(reason);

    private static bool IsReset(SenseReason reason) => reason is SenseReason.PowerOnResetOccurred
        or SenseReason.PowerOnOccurred
        or SenseReason.BusDeviceResetFunctionOccurred
        or SenseReason.ITNexusLossOccurred;
}
