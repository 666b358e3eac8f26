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
/// </summary>
internal sealed class NexusTable(bool ownsUnitAttentions)
{
    /// <summary>Lost nexuses kept per logical unit for the unit attention they are owed.</summary>
    internal const int MaxLostNexuses = 1024;

    private readonly Dictionary<NexusKey, NexusState> _states = [];
    private readonly LinkedList<NexusKey> _lost = [];

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

        state = new NexusState(nexus);
        if (ownsUnitAttentions)
        {
            state.Establish(SenseReason.PowerOnResetOccurred);
        }

        _states.Add(key, state);
        return state;
    }

    /// <summary>Establishes a unit attention for every known nexus, except <paramref name="except"/> when given.</summary>
    public void EstablishForAll(SenseReason reason, NexusState? except = null)
    {
        if (!ownsUnitAttentions)
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
    }

    /// <summary>Establishes a unit attention for every known nexus whose key satisfies <paramref name="predicate"/>.</summary>
    public void EstablishWhere(Func<NexusKey, bool> predicate, SenseReason reason)
    {
        if (!ownsUnitAttentions)
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
    }

    /// <summary>
    /// SAM-5 6.3.4: after an I_T nexus loss the logical unit owes that nexus
    /// I_T NEXUS LOSS OCCURRED, replacing whatever it owed before.
    /// </summary>
    public void NexusLost(ITNexus nexus)
    {
        var key = NexusKey.From(nexus);
        if (!ownsUnitAttentions || !_states.TryGetValue(key, out var state))
        {
            _states.Remove(key);
            return;
        }

        state.Establish(SenseReason.ITNexusLossOccurred);
        if (state.LostAt is null)
        {
            state.LostAt = _lost.AddLast(key);
        }

        while (_lost.Count > MaxLostNexuses)
        {
            _states.Remove(_lost.First!.Value);
            _lost.RemoveFirst();
        }
    }
}
