namespace IscsiCluster.Storage.RocksDb;

/// <summary>
/// Closes a native database exactly once, after every call that entered before Dispose has left.
/// RocksDbSharp frees the native object as soon as it is disposed, whatever other threads are
/// doing with it, and the store's I/O threads may still be inside a read or write when the node
/// shuts down; a freed <c>rocksdb_t*</c> would crash the process rather than fail the call.
/// One interlocked operation on entry and one on exit, like a SafeHandle's reference count.
/// </summary>
internal sealed class DatabaseLifetime
{
    // _state is twice the calls in flight, plus Closing once Dispose has been called.
    private const int Closing = 1;
    private const int OneCall = 2;

    private readonly Action _close;
    private int _state;

    public DatabaseLifetime(Action close)
    {
        _close = close;
    }

    /// <summary>Enters a call; throws <see cref="ObjectDisposedException"/> naming <paramref name="owner"/> once disposed.</summary>
    public Call Enter(object owner)
    {
        // A compare-exchange rather than an add: an entry refused after Dispose must not touch
        // the count, or its undo could close the database a second time.
        var state = Volatile.Read(ref _state);
        while (true)
        {
            if ((state & Closing) != 0)
            {
                throw new ObjectDisposedException(owner.GetType().FullName);
            }

            var seen = Interlocked.CompareExchange(ref _state, state + OneCall, state);
            if (seen == state)
            {
                return new Call(this);
            }

            state = seen;
        }
    }

    /// <summary>Closes now when no call is in flight, else when the last one leaves; only the first call counts.</summary>
    public void Dispose()
    {
        if (Interlocked.Or(ref _state, Closing) == 0)
        {
            _close();
        }
    }

    private void Leave()
    {
        if (Interlocked.Add(ref _state, -OneCall) == Closing)
        {
            _close();
        }
    }

    /// <summary>One call inside the lifetime; disposing it leaves.</summary>
    public readonly ref struct Call
    {
        private readonly DatabaseLifetime _lifetime;

        internal Call(DatabaseLifetime lifetime)
        {
            _lifetime = lifetime;
        }

        public void Dispose() => _lifetime.Leave();
    }
}
