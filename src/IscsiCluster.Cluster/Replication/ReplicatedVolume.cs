using IscsiCluster.Replication;
using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Owner;

namespace IscsiCluster.Cluster.Replication;

/// <summary>
/// The owner's side of one replicated LUN, for the actor that owns it: the protocol's <see cref="OwnerCore"/>, the writes
/// waiting to be submitted to it, and the commands waiting for their completion. Writes may be staged from any thread
/// (a command continuing after a read on the thread pool); everything else runs on the owning actor's thread, which
/// also commits what is staged when <c>requestCommit</c> asks it to. Reads run on any thread and check the read window
/// this class copies out of the core after every call (<see cref="ReadableAt"/>).
/// <para>
/// Data is copied when staged: the protocol keeps committed entries to resend to a lagging replica, long after the
/// command's own buffer went back to its pool. Copies are cut in pieces below the large-object heap's threshold.
/// </para>
/// </summary>
public sealed class ReplicatedVolume
{
    private const int MaxPiece = 64 * 1024;

    private readonly ulong _lunId;
    private readonly OwnerCore _core;
    private readonly ReplicationEndpoint _endpoint;
    private readonly Action _requestCommit;
    private readonly Action<OwnerState> _stateChanged;
    private readonly Lock _stageLock = new();
    private readonly Dictionary<long, TaskCompletionSource> _pending = [];
    private List<Staged> _staged = [];
    private long _nextTag;
    private int _commitRequested;
    private long _readableFrom = long.MaxValue;
    private long _readableUntil = long.MinValue;

    /// <param name="requestCommit">Asks the owning actor to call <see cref="CommitStaged"/> soon (it may be called from any thread).</param>
    /// <param name="stateChanged">Told, on the actor's thread, whenever the owner's state changes.</param>
    public ReplicatedVolume(ulong lunId, ReplicationSettings settings, ReplicationEndpoint endpoint, Action requestCommit, Action<OwnerState> stateChanged)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _lunId = lunId;
        _endpoint = endpoint;
        _requestCommit = requestCommit;
        _stateChanged = stateChanged;
        SizeBytes = settings.SizeBytes;
        _core = new OwnerCore(endpoint.Self, settings, new Random());
    }

    public OwnerState State => _core.State;

    /// <summary>The replicated address space in bytes, fixed for this owner's life: every range written must lie inside it.</summary>
    public long SizeBytes { get; }

    public long Epoch => _core.Epoch;

    /// <summary>Starts becoming owner.</summary>
    public void Start() => Apply(_core.Start(MonotonicClock.Now));

    /// <summary>Stages a write of <paramref name="data"/> (copied) at <paramref name="offset"/>; completes once on a majority.</summary>
    public Task Write(long offset, ReadOnlySpan<byte> data, bool fua)
    {
        var ranges = new List<WriteRange>((data.Length + MaxPiece - 1) / MaxPiece);
        for (var at = 0; at < data.Length; at += MaxPiece)
        {
            var piece = data.Slice(at, Math.Min(MaxPiece, data.Length - at));
            ranges.Add(new WriteRange(offset + at, piece.Length, piece.ToArray()));
        }

        return Stage(ranges, fua, flush: false);
    }

    /// <summary>Stages the zeroing of [offset, offset + length) (UNMAP, WRITE SAME of zeros).</summary>
    public Task Zero(long offset, long length, bool fua)
    {
        var ranges = new List<WriteRange>();
        for (var at = 0L; at < length; at += int.MaxValue / 2)
        {
            ranges.Add(WriteRange.Zero(offset + at, (int)Math.Min(int.MaxValue / 2, length - at)));
        }

        return Stage(ranges, fua, flush: false);
    }

    /// <summary>Stages a flush (SYNCHRONIZE CACHE): completes once everything before it is synced on a majority.</summary>
    public Task Flush() => Stage([], fua: false, flush: true);

    /// <summary>Whether the owner's local replica may be read at <paramref name="now"/>; safe on any thread.</summary>
    public bool ReadableAt(TimeSpan now) =>
        now.Ticks >= Volatile.Read(ref _readableFrom) && now.Ticks < Volatile.Read(ref _readableUntil);

    /// <summary>Submits everything staged, in order, as one group (actor thread).</summary>
    public void CommitStaged()
    {
        Volatile.Write(ref _commitRequested, 0);
        List<Staged> staged;
        lock (_stageLock)
        {
            if (_staged.Count == 0)
            {
                return;
            }

            (staged, _staged) = (_staged, []);
        }

        var now = MonotonicClock.Now;
        var writes = new List<WriteRequest>(staged.Count);
        foreach (var item in staged)
        {
            _pending[item.Tag] = item.Done;
            if (item.IsFlush)
            {
                if (writes.Count > 0)
                {
                    Apply(_core.Submit(writes, now));
                    writes = [];
                }

                Apply(_core.Flush(item.Tag, now));
            }
            else
            {
                writes.Add(new WriteRequest(item.Tag, item.Ranges, item.Fua));
            }
        }

        if (writes.Count > 0)
        {
            Apply(_core.Submit(writes, now));
        }
    }

    public void Handle(OwnerInput input) => Apply(_core.Handle(input.From, input.Message, MonotonicClock.Now));

    public void Tick() => Apply(_core.Tick(MonotonicClock.Now));

    /// <summary>Stops the owner: pending and staged commands fail (the LUN moved away, or the node stops).</summary>
    public void Stop()
    {
        CommitStaged();
        Apply(_core.Stop(MonotonicClock.Now));
    }

    public OwnerStatus Status() => _core.Status(MonotonicClock.Now);

    private Task Stage(IReadOnlyList<WriteRange> ranges, bool fua, bool flush)
    {
        // Completed on the actor's thread, continuing inline there: the command's next step runs where its unit lives.
        var done = new TaskCompletionSource();
        lock (_stageLock)
        {
            _staged.Add(new Staged(++_nextTag, ranges, fua, flush, done));
        }

        if (Interlocked.Exchange(ref _commitRequested, 1) == 0)
        {
            _requestCommit();
        }

        return done.Task;
    }

    private void Apply(OwnerOutput output)
    {
        // The read window first, the messages after: once a stopping owner's resignation is out, a newer owner may serve at
        // once, so no read on another thread may pass its check against the old window from then on.
        if (_core.ReadWindow is { } window)
        {
            Volatile.Write(ref _readableFrom, window.From.Ticks);
            Volatile.Write(ref _readableUntil, window.Until.Ticks);
        }
        else
        {
            Volatile.Write(ref _readableUntil, long.MinValue);
        }

        foreach (var message in output.Messages)
        {
            _endpoint.Send(_lunId, message);
        }

        foreach (var completion in output.Completions)
        {
            if (_pending.Remove(completion.Tag, out var done))
            {
                if (completion.Status == CompletionStatus.Succeeded)
                {
                    done.SetResult();
                }
                else
                {
                    done.SetException(new ReplicationUnavailableException(completion.Status));
                }
            }
        }

        if (output.StateChanged)
        {
            _stateChanged(output.State);
        }
    }

    private sealed record Staged(long Tag, IReadOnlyList<WriteRange> Ranges, bool Fua, bool IsFlush, TaskCompletionSource Done);
}

/// <summary>A write or flush the replicated volume could not complete: the owner is not serving, was fenced or stopped, or timed out.</summary>
public sealed class ReplicationUnavailableException(CompletionStatus status)
    : Exception($"the write was not acknowledged: {status}")
{
    public CompletionStatus Status { get; } = status;
}
