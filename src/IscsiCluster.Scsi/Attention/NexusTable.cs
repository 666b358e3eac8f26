using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Attention;

/// <summary>The per-I_T-nexus state of one logical unit.</summary>
internal sealed class NexusTable(bool ownsUnitAttentions)
{
    private readonly Dictionary<NexusKey, NexusState> _states = [];

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
        if (ownsUnitAttentions && _states.TryGetValue(NexusKey.From(nexus), out var state))
        {
            state.Establish(SenseReason.ITNexusLossOccurred);
        }
        else
        {
            _states.Remove(NexusKey.From(nexus));
        }
    }
}
