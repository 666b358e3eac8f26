namespace IscsiCluster.Scsi.Attention;

/// <summary>
/// Keeps the unit attentions owed to I_T nexuses in the unit's <see cref="IUnitStateStore"/>, for a store that keeps
/// state across owners (a cluster): a nexus owed, say, REGISTRATIONS PREEMPTED still learns of it from the next owner.
/// Only the conditions <see cref="NexusState.IsKept"/> names are saved, and the table is written only when they change:
/// when one is established (for nexuses other than the one whose command caused it), and when a nexus that had one in
/// the saved table is told of it, which is rare; a command that reports nothing saved writes nothing. Should the write that
/// clears a reported attention be lost with its owner, the next owner reports it a second time, which an initiator
/// takes as one more retry: an attention may be repeated, never lost.
/// <para>
/// The saved table holds at most <see cref="MaxNexuses"/> nexuses, those whose kept conditions are oldest dropped first,
/// so it stays well inside the store's room whatever initiators do (each entry is under 700 bytes with names of the
/// 223-byte iSCSI maximum). A nexus dropped from it, like any nexus a new owner has not seen, is owed POWER ON, RESET, OR
/// BUS DEVICE RESET OCCURRED by the next owner (SAM-5 6.3.1): the reset-class condition that tells it to read again
/// whatever it caches of the unit, which covers what it was owed.
/// </para>
/// </summary>
internal sealed class UnitAttentionPersistence(IUnitStateStore store, string key)
{
    /// <summary>Nexuses the saved table holds at most.</summary>
    public const int MaxNexuses = 256;

    // What the store holds, oldest first; null when it is not known (unreadable), so the next save writes whatever it is.
    private List<KeptAttentions>? _saved = [];

    /// <summary>Saves the kept conditions of <paramref name="states"/> when they differ from what the store holds.</summary>
    public void Save(IReadOnlyDictionary<NexusKey, NexusState> states)
    {
        // Oldest first: the nexuses already saved in their order, then those with kept conditions for the first time.
        var entries = new List<KeptAttentions>();
        var placed = new HashSet<NexusKey>();
        foreach (var saved in _saved ?? [])
        {
            placed.Add(saved.Nexus);
            if (states.TryGetValue(saved.Nexus, out var state) && EntryOf(saved.Nexus, state) is { } entry)
            {
                entries.Add(entry);
            }
        }

        foreach (var (nexus, state) in states)
        {
            if (!placed.Contains(nexus) && EntryOf(nexus, state) is { } entry)
            {
                entries.Add(entry);
            }
        }

        if (entries.Count > MaxNexuses)
        {
            entries.RemoveRange(0, entries.Count - MaxNexuses);
        }

        if (_saved is not null && _saved.Count == entries.Count && _saved.Zip(entries).All(p => p.First.SameAs(p.Second)))
        {
            return;
        }

        _saved = entries;
        if (entries.Count == 0)
        {
            store.Delete(key);
        }
        else
        {
            store.Save(key, UnitAttentionCodec.Encode(entries));
        }
    }

    /// <summary>
    /// Reads the saved table. False when one was there but could not be decoded: the nexuses it named are then owed
    /// only what a nexus new to the unit is (POWER ON, RESET, OR BUS DEVICE RESET OCCURRED), and the next save replaces it.
    /// </summary>
    public bool TryLoad(out IReadOnlyList<KeptAttentions> entries)
    {
        var data = store.Load(key);
        if (data is null)
        {
            _saved = [];
            entries = [];
            return true;
        }

        if (!UnitAttentionCodec.TryDecode(data, out var decoded))
        {
            _saved = null;
            entries = [];
            return false;
        }

        _saved = decoded;
        entries = decoded;
        return true;
    }

    private static KeptAttentions? EntryOf(NexusKey nexus, NexusState state)
    {
        var reasons = state.Kept.ToList();
        return reasons.Count == 0 ? null : new KeptAttentions(nexus, state.Nexus.TargetPortGroup, reasons);
    }
}
