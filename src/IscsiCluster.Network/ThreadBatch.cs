namespace IscsiCluster.Network;

/// <summary>
/// The work a thread runs after what it runs now. Work queued while a thread runs a batch (an item started by this class,
/// or a <see cref="Scope"/> such as a connection's read loop handing what it read to actors) joins that batch and runs
/// next on the same thread; work queued from anywhere else goes to the thread pool, where it starts a batch of its own.
/// Handing work to the pool wakes another thread every time, which on a busy machine costs more than the work.
/// </summary>
public static class ThreadBatch
{
    /// <summary>How many items one batch runs at most; later ones go to the thread pool.</summary>
    public const int Limit = 32;

    /// <summary>
    /// How long a batch takes on more work: past this, what is queued goes to the thread pool, so a thread that reads
    /// sockets (see <see cref="SocketCompletions"/>) is not kept from the others for long by a slow store call.
    /// </summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromMilliseconds(1);

    private static readonly long MaxTicks = (long)(MaxDuration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);

    [ThreadStatic]
    private static Batch? t_batch;

    /// <summary>Whether this thread runs a batch now: work it queues runs next on it.</summary>
    public static bool IsRunning => t_batch is { Running: true };

    /// <summary>Runs <paramref name="work"/> next on this thread when it runs a batch, else on the thread pool.</summary>
    public static void Execute(IThreadPoolWorkItem work)
    {
        if (t_batch is { Running: true } batch && batch.TryAdd(work))
        {
            return;
        }

        ThreadPool.UnsafeQueueUserWorkItem(new Start(work), preferLocal: true);
    }

    /// <summary>
    /// Opens a batch on this thread, unless one is open already: what is queued until the scope is disposed runs then,
    /// on this thread.
    /// </summary>
    public static Scope Enter()
    {
        var batch = t_batch ??= new Batch();
        if (batch.Running)
        {
            return default;
        }

        batch.Start();
        return new Scope(batch);
    }

    private static void Run(IThreadPoolWorkItem first)
    {
        using var scope = Enter();
        first.Execute();
    }

    /// <summary>A batch opened by <see cref="Enter"/>; disposing it runs what was queued meanwhile.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly Batch? _batch;

        internal Scope(Batch batch) => _batch = batch;

        public void Dispose()
        {
            if (_batch is not { } batch)
            {
                return;
            }

            try
            {
                while (batch.TryTake(out var next))
                {
                    next.Execute();
                }
            }
            finally
            {
                batch.Running = false;

                // Only when an item threw: what it left behind still runs, on other threads.
                while (batch.TryTake(out var left))
                {
                    ThreadPool.UnsafeQueueUserWorkItem(new Start(left), preferLocal: false);
                }

                batch.Reset();
            }
        }
    }

    private sealed class Start : IThreadPoolWorkItem
    {
        private readonly IThreadPoolWorkItem _work;

        public Start(IThreadPoolWorkItem work) => _work = work;

        public void Execute() => Run(_work);
    }

    internal sealed class Batch
    {
        private readonly Queue<IThreadPoolWorkItem> _queue = new();
        private int _taken;
        private long _startedAt;

        public bool Running { get; set; }

        public void Start()
        {
            Running = true;
            _startedAt = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        public bool TryAdd(IThreadPoolWorkItem work)
        {
            if (_taken + _queue.Count >= Limit || System.Diagnostics.Stopwatch.GetTimestamp() - _startedAt > MaxTicks)
            {
                return false;
            }

            _queue.Enqueue(work);
            return true;
        }

        public bool TryTake(out IThreadPoolWorkItem work)
        {
            if (_queue.TryDequeue(out work!))
            {
                _taken++;
                return true;
            }

            return false;
        }

        public void Reset() => _taken = 0;
    }
}
