namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// The bytes of write and read data all sessions of a node may hold together
/// (<c>limits.node-transfer-memory</c>). A session reserves a command's whole transfer length
/// when the command arrives and gives it back once the data is no longer held; a command that
/// finds no room is refused, so the node never holds more than this whatever initiators send.
/// </summary>
internal sealed class TransferBudget(long capacity)
{
    private long _used;
    private long _peak;

    /// <summary>Bytes reserved now.</summary>
    public long Used => Interlocked.Read(ref _used);

    /// <summary>The most bytes ever reserved at once.</summary>
    public long Peak => Interlocked.Read(ref _peak);

    /// <summary>The most that may be reserved at once.</summary>
    public long Capacity => capacity;

    /// <summary>Reserves <paramref name="bytes"/> if they fit; false (and nothing reserved) if not.</summary>
    public bool TryReserve(long bytes)
    {
        var used = Interlocked.Read(ref _used);
        while (true)
        {
            if (used + bytes > capacity)
            {
                return false;
            }

            var previous = Interlocked.CompareExchange(ref _used, used + bytes, used);
            if (previous == used)
            {
                break;
            }

            used = previous;
        }

        var now = used + bytes;
        var peak = Interlocked.Read(ref _peak);
        while (now > peak)
        {
            var previous = Interlocked.CompareExchange(ref _peak, now, peak);
            if (previous == peak)
            {
                break;
            }

            peak = previous;
        }

        return true;
    }

    /// <summary>Gives back bytes reserved by <see cref="TryReserve"/>.</summary>
    public void Release(long bytes) => Interlocked.Add(ref _used, -bytes);
}
