using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Attention;

/// <summary>
/// The per-I_T-nexus state of one logical unit. A nexus that was lost (its session ended) keeps
/// its state only to report I_T NEXUS LOSS OCCURRED if it returns; at most
/// <see cref="MaxLostNexuses"/> such nexuses are kept, the longest gone dropped first, so
/// initiators that log in under ever new ISIDs cannot make the unit grow. A dropped nexus that
/// returns is new to the unit and is owed POWER ON, RESET, OR BUS DEVICE RESET OCCURRED, the
/// other reset-class unit attention (29h), which tells it the same: everything it had was reset.
/// Persistent reservations are not here: they belong to the unit and outlive every nexus.
/// <para>
/// With a <see cref="UnitAttentionPersistence"/>, what is owed that outlives a change of owner is saved after each
/// change (<see cref="SaveIfChanged"/>) and read back by <see cref="Restore"/>.
/// </para>
/// </summary>
internal sealed class NexusTable
{
    /// <summary>Lost nexuses kept per logical unit for the unit attention they are owed.</summary>
    internal const int MaxLostNexuses = 1024;

    private readonly bool _ownsUnitAttentions;
    private readonly UnitAttentionPersistence? _persistence;
    private readonly Action _markKeptChanged;
    private readonly Dictionary<NexusKey, NexusState> _states = [];
    private readonly LinkedList<NexusKey> _lost = [];
    private bool _keptChanged;

    /// <param name="ownsUnitAttentions">False for a LUN that does not exist (it owes no unit attentions).</param>
    /// <param name="persistence">Where the conditions that outlive a change of owner are saved; null to keep them in memory only.</param>
    public NexusTable(bool ownsUnitAttentions, UnitAttentionPersistence? persistence = null)
    {
        _ownsUnitAttentions = ownsUnitAttentions;
        _persistence = ownsUnitAttentions ? persistence : null;
        _markKeptChanged = () => _keptChanged = true;
    }

    /// <summary>Nexuses the unit keeps state for (live ones and lost ones still owed a unit attention).</summary>
    public int Count => _states.Count;

    /// <summary>
    /// The state of <paramref name="nexus"/>, created on first sight. SAM-5 6.3.1: a new
    /// I_T nexus is owed POWER ON, RESET, OR BUS DEVICE RESET OCCURRED.
    /// </summary>
    public NexusState GetOrAdd(ITNexus nexus)
    {
        var key = NexusKey.From(nexus);
        if (_states.TryGetValue(key, out var state))
        {
            state.Nexus = nexus;
            if (state.LostAt is { } lost)
            {
                // Back: it is live again and no longer among the lost ones that may be dropped.
                _lost.Remove(lost);
                state.LostAt = null;
            }

            return state;
        }

        state = Add(key, nexus);
        return state;
    }

    /// <summary>Establishes a unit attention for every known nexus, except <paramref name="except"/> when given.</summary>
    public void EstablishForAll(SenseReason reason, NexusState? except = null)
    {
        if (!_ownsUnitAttentions)
        {
            return;
        }

        foreach (var state in _states.Values)
        {
            if (!ReferenceEquals(state, except))
            {
                state.Establish(reason);
            }
        }

        SaveIfChanged();
    }

    /// <summary>Establishes a unit attention for every known nexus whose key satisfies <paramref name="predicate"/>.</summary>
    public void EstablishWhere(Func<NexusKey, bool> predicate, SenseReason reason)
    {
        if (!_ownsUnitAttentions)
        {
            return;
        }

        foreach (var (key, state) in _states)
        {
            if (predicate(key))
            {
                state.Establish(reason);
            }
        }

        SaveIfChanged();
    }

    /// <summary>
    /// SAM-5 6.3.4: after an I_T nexus loss the logical unit owes that nexus
    /// I_T NEXUS LOSS OCCURRED, replacing whatever it owed before.
    /// </summary>
    public void NexusLost(ITNexus nexus)
    {
        var key = NexusKey.From(nexus);
        if (!_ownsUnitAttentions || !_states.TryGetValue(key, out var state))
        {
            _states.Remove(key);
            return;
        }

        state.Establish(SenseReason.ITNexusLossOccurred);
        if (state.LostAt is null)
        {
            state.LostAt = _lost.AddLast(key);
        }

        DropLostOverBound();
        SaveIfChanged();
    }

    /// <summary>
    /// Reads back what the saved table says each nexus is owed (a new owner, once its store holds what the last one
    /// saved). A nexus this unit has not seen is owed, as every new nexus, POWER ON, RESET, OR BUS DEVICE RESET OCCURRED
    /// first (SAM-5 6.3.1: its task set and any SPC-2 reservation did not come along), then what it was owed; it counts
    /// among the lost nexuses until it shows up, so nexuses that never return are dropped in time. A nexus the unit
    /// knows keeps what it has and gains what it lacks. False when the saved table could not be decoded.
    /// </summary>
    public bool Restore()
    {
        if (_persistence is null)
        {
            return true;
        }

        var decoded = _persistence.TryLoad(out var entries);
        foreach (var entry in entries)
        {
            if (!_states.TryGetValue(entry.Nexus, out var state))
            {
                state = Add(entry.Nexus, UnitAttentionCodec.NexusOf(entry));
                state.LostAt = _lost.AddLast(entry.Nexus);
            }

            foreach (var reason in entry.Reasons)
            {
                state.Establish(reason);
            }
        }

        DropLostOverBound();
        _keptChanged = true;                              // what was owed before the restore joins what was saved
        SaveIfChanged();
        return decoded;
    }

    /// <summary>Saves the kept unit attentions when one was established or cleared since the last save (on the unit's thread).</summary>
    public void SaveIfChanged()
    {
        if (!_keptChanged || _persistence is null)
        {
            return;
        }

        _keptChanged = false;
        _persistence.Save(_states);
    }

    private NexusState Add(NexusKey key, ITNexus nexus)
    {
        var state = new NexusState(nexus, _markKeptChanged);
        if (_ownsUnitAttentions)
        {
            state.Establish(SenseReason.PowerOnResetOccurred);
        }

        _states.Add(key, state);
        return state;
    }

    private void DropLostOverBound()
    {
        while (_lost.Count > MaxLostNexuses)
        {
            if (_states.Remove(_lost.First!.Value, out var dropped) && dropped.Kept.Any())
            {
                _keptChanged = true;
            }

            _lost.RemoveFirst();
        }
    }
}
