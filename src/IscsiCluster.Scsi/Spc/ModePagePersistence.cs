namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// Keeps the current values of the changeable mode pages in the unit's <see cref="IUnitStateStore"/> when the store
/// keeps state across owners (a cluster), so the LUN's next owner reports the same pages (see <see cref="ModePages"/>
/// for why current values survive a move). A single node's unit keeps them in memory only: its restart is a power on,
/// after which SPC-4 7.5.1 wants the defaults, as no page here can be saved. Written after each change (MODE SELECT
/// that changed a value, a reset that restored defaults); deleted when every page is at its defaults.
/// </summary>
internal sealed class ModePagePersistence(IUnitStateStore? store, string key)
{
    private readonly IUnitStateStore? _store = store is { KeepsStateAcrossOwners: true } ? store : null;

    /// <summary>Saves the current values after a change.</summary>
    public void Persist(ModePages pages)
    {
        if (_store is null)
        {
            return;
        }

        var changed = pages.ChangedPages();
        if (changed.Count == 0)
        {
            _store.Delete(key);
        }
        else
        {
            _store.Save(key, ModePageCodec.Encode(changed));
        }
    }

    /// <summary>
    /// Sets <paramref name="pages"/> to what was saved (the defaults when nothing was). False when saved pages were
    /// there but could not be decoded or applied: the pages concerned keep their defaults.
    /// </summary>
    public bool TryRestore(ModePages pages)
    {
        if (_store is null)
        {
            return true;                                  // nothing is kept: the pages stay as they are
        }

        var saved = _store.Load(key);
        if (saved is null)
        {
            pages.Reset();
            return true;
        }

        if (!ModePageCodec.TryDecode(saved, out var list))
        {
            pages.Reset();
            return false;
        }

        return pages.TryRestore(list);
    }
}
