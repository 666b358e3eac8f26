using IscsiCluster.Network;

namespace IscsiCluster.Iscsi.Tests.Network;

/// <summary>
/// Work handed off from a thread that runs a batch runs next on that thread, in the order it was queued, up to a bound;
/// the rest, and work queued from anywhere else, runs on the thread pool. Nothing queued is ever lost.
/// </summary>
public sealed class ThreadBatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public void WorkQueuedInAScopeRunsOnThisThreadInOrderWhenTheScopeEnds()
    {
        var ran = new List<(string Name, int Thread)>();
        var thread = Environment.CurrentManagedThreadId;
        using (ThreadBatch.Enter())
        {
            Assert.True(ThreadBatch.IsRunning);
            ThreadBatch.Execute(new Work(() => ran.Add(("a", Environment.CurrentManagedThreadId))));
            ThreadBatch.Execute(new Work(() => ran.Add(("b", Environment.CurrentManagedThreadId))));
            Assert.Empty(ran);
        }

        Assert.False(ThreadBatch.IsRunning);
        Assert.Equal(["a", "b"], ran.Select(r => r.Name));
        Assert.All(ran, r => Assert.Equal(thread, r.Thread));
    }

    [Fact]
    public void WorkQueuedByBatchedWorkJoinsTheBatchBehindWhatWasAlreadyQueued()
    {
        var ran = new List<string>();
        using (ThreadBatch.Enter())
        {
            ThreadBatch.Execute(new Work(() =>
            {
                ran.Add("a");
                ThreadBatch.Execute(new Work(() => ran.Add("c")));
            }));
            ThreadBatch.Execute(new Work(() => ran.Add("b")));
        }

        Assert.Equal(["a", "b", "c"], ran);
    }

    [Fact]
    public void AnInnerScopeLeavesItsWorkToTheOuterOne()
    {
        var ran = false;
        using (ThreadBatch.Enter())
        {
            using (ThreadBatch.Enter())
            {
                ThreadBatch.Execute(new Work(() => ran = true));
            }

            Assert.False(ran);
            Assert.True(ThreadBatch.IsRunning);
        }

        Assert.True(ran);
    }

    [Fact]
    public async Task WorkQueuedOutsideABatchRunsOnThePoolInABatchOfItsOwn()
    {
        var done = new TaskCompletionSource<(bool Pool, bool Batched)>(TaskCreationOptions.RunContinuationsAsynchronously);
        await Task.Run(() => ThreadBatch.Execute(new Work(() => done.SetResult((Thread.CurrentThread.IsThreadPoolThread, ThreadBatch.IsRunning)))));

        var (pool, batched) = await done.Task.WaitAsync(Patience);
        Assert.True(pool);
        Assert.True(batched);
    }

    [Fact]
    public async Task ABatchRunsAtMostItsLimitAndThePoolRunsTheRest()
    {
        const int Extra = 5;
        var thread = Environment.CurrentManagedThreadId;
        var inScope = 0;
        var all = new CountdownEvent(ThreadBatch.Limit + Extra);
        var scopeEnded = false;
        using (ThreadBatch.Enter())
        {
            for (var i = 0; i < ThreadBatch.Limit + Extra; i++)
            {
                ThreadBatch.Execute(new Work(() =>
                {
                    if (Environment.CurrentManagedThreadId == thread && !Volatile.Read(ref scopeEnded))
                    {
                        Interlocked.Increment(ref inScope);
                    }

                    all.Signal();
                }));
            }
        }

        Volatile.Write(ref scopeEnded, true);
        Assert.Equal(ThreadBatch.Limit, inScope);
        Assert.True(await Task.Run(() => all.Wait(Patience)), "work beyond the batch's limit never ran");
    }

    [Fact]
    public async Task ABatchTakesNoMoreWorkOnceItRanLongerThanItsMaximum()
    {
        var thread = Environment.CurrentManagedThreadId;
        var scopeEnded = false;
        var late = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using (ThreadBatch.Enter())
        {
            ThreadBatch.Execute(new Work(() =>
            {
                Thread.Sleep(ThreadBatch.MaxDuration * 5);
                ThreadBatch.Execute(new Work(() => late.SetResult(Environment.CurrentManagedThreadId == thread && !Volatile.Read(ref scopeEnded))));
            }));
        }

        Volatile.Write(ref scopeEnded, true);
        Assert.False(await late.Task.WaitAsync(Patience), "work queued after the batch's maximum time still ran in the batch");
    }

    [Fact]
    public async Task WorkLeftBehindByWorkThatThrowsStillRuns()
    {
        var after = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var scope = ThreadBatch.Enter();
        ThreadBatch.Execute(new Work(() => throw new InvalidOperationException("broken")));
        ThreadBatch.Execute(new Work(after.SetResult));

        Assert.Throws<InvalidOperationException>(scope.Dispose);
        Assert.False(ThreadBatch.IsRunning);
        await after.Task.WaitAsync(Patience);
    }

    private sealed class Work(Action action) : IThreadPoolWorkItem
    {
        public void Execute() => action();
    }
}
