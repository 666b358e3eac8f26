namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// The bytes of write and read data all sessions of a node may hold together
/// (<c>limits.node-transfer-memory</c>), and the part of it the sessions of one initiator (by
/// iSCSI name) may hold (<c>limits.initiator-transfer-memory</c>), so one initiator that never
/// sends its data or never reads its answers cannot take it all from the others. A session
/// reserves a command's whole transfer length when the command arrives and gives it back once
/// the data is no longer held; a command that finds no room is refused.
/// </summary>
internal sealed class TransferBudget(long capacity, long perInitiator)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, long> _byInitiator = new(StringComparer.Ordinal);
    private long _used;
    private long _peak;

    /// <summary>Bytes reserved now.</summary>
    public long Used
    {
        get
        {
            lock (_lock)
            {
                return _used;
            }
        }
    }

    /// <summary>The most bytes ever reserved at once.</summary>
    public long Peak
    {
        get
        {
            lock (_lock)
            {
                return _peak;
            }
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> for <paramref name="initiator"/> if they fit; false (and nothing reserved) if not.</summary>
    public bool TryReserve(string initiator, long bytes)
    {
        lock (_lock)
        {
            _byInitiator.TryGetValue(initiator, out var held);
            if (_used + bytes > capacity || held + bytes > perInitiator)
            {
                return false;
            }

            _byInitiator[initiator] = held + bytes;
            _used += bytes;
            _peak = Math.Max(_peak, _used);
            return true;
        }
    }

    /// <summary>Gives back bytes <see cref="TryReserve"/> reserved for <paramref name="initiator"/>.</summary>
    public void Release(string initiator, long bytes)
    {
        if (bytes == 0)
        {
            return;
        }

        lock (_lock)
        {
            _used -= bytes;
            var held = _byInitiator.GetValueOrDefault(initiator) - bytes;
            if (held > 0)
            {
                _byInitiator[initiator] = held;
            }
            else
            {
                _byInitiator.Remove(initiator);
            }
        }
    }
}
