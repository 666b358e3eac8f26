using System.Runtime.InteropServices;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// The writes of one LUN waiting to go to the store together (group commit). A LUN actor does
/// not wait for the medium of a SIMPLE WRITE (<see cref="Scsi.IScsiUnit.MayOverlap"/>), so the
/// writes queued in its mailbox are staged here one after another and then committed as one
/// RocksDB write: one WAL record, and one fsync when any of them needs one (FUA, or the write
/// cache off). Each write's task completes when its group is in the store, on the thread that
/// committed it. Commits keep the order of staging, and the device commits before every other
/// operation, so a later read, unmap or flush sees every write staged before it.
/// <para>
/// Only the writes the actor starts itself, between <see cref="BeginStaging"/> and
/// <see cref="EndStaging"/> on its own thread, wait for a commit. Any other write (a command
/// the actor waits for, or a later write of a command that writes in several steps, such as
/// WRITE SAME) is committed at once, behind whatever is staged: nothing would commit it while
/// the actor waits.
/// </para>
/// </summary>
public sealed class GroupCommit(BlockStore store, ulong volumeId)
{
    private readonly Lock _stageLock = new();
    private readonly Lock _commitLock = new();
    private List<BlockWrite> _writes = [];
    private List<TaskCompletionSource> _waiters = [];
    private bool _sync;
    private int _staged;
    private long _groups;
    private int _stagingThread;

    /// <summary>Whether writes are waiting for a commit.</summary>
    public bool HasStaged => Volatile.Read(ref _staged) > 0;

    /// <summary>Groups committed so far (each one RocksDB write, or more when writes in it overlap).</summary>
    public long GroupsCommitted => Interlocked.Read(ref _groups);

    /// <summary>Writes made on this thread from now until <see cref="EndStaging"/> are staged.</summary>
    public void BeginStaging() => Volatile.Write(ref _stagingThread, Environment.CurrentManagedThreadId);

    /// <summary>Ends <see cref="BeginStaging"/>: later writes are committed at once.</summary>
    public void EndStaging() => Volatile.Write(ref _stagingThread, 0);

    /// <summary>
    /// Writes <paramref name="data"/> at byte <paramref name="offset"/> of the volume. Inside
    /// <see cref="BeginStaging"/> on the same thread, the write is staged and its task completes
    /// once a <see cref="Commit"/> has put it in the store (durably when <paramref name="sync"/>),
    /// or fails with what the store threw; the buffer must stay unchanged until then. Otherwise
    /// it is committed before this returns, with anything staged before it.
    /// </summary>
    public ValueTask Write(long offset, ReadOnlyMemory<byte> data, bool sync)
    {
        var written = Stage(offset, data, sync);
        if (Volatile.Read(ref _stagingThread) != Environment.CurrentManagedThreadId)
        {
            Commit();
        }

        return written;
    }

    private ValueTask Stage(long offset, ReadOnlyMemory<byte> data, bool sync)
    {
        // Continuations run on the committing thread: a command's answer leaves straight from there.
        var done = new TaskCompletionSource();
        lock (_stageLock)
        {
            _writes.Add(new BlockWrite(offset, data));
            _waiters.Add(done);
            _sync |= sync;
            _staged = _writes.Count;
        }

        return new ValueTask(done.Task);
    }

    /// <summary>Puts every staged write in the store as one group and completes their tasks; does nothing when none is staged.</summary>
    public void Commit()
    {
        // Every read commits first: when nothing is staged that costs no lock.
        if (!HasStaged)
        {
            return;
        }

        List<TaskCompletionSource> waiters;
        Exception? failure = null;
        lock (_commitLock)
        {
            List<BlockWrite> writes;
            bool sync;
            lock (_stageLock)
            {
                if (_writes.Count == 0)
                {
                    return;
                }

                (writes, waiters, sync) = (_writes, _waiters, _sync);
                (_writes, _waiters, _sync, _staged) = ([], [], false, 0);
            }

            try
            {
                store.Write(volumeId, CollectionsMarshal.AsSpan(writes), sync);
            }
            catch (Exception e)
            {
                failure = e;
            }

            Interlocked.Increment(ref _groups);
        }

        foreach (var waiter in waiters)
        {
            if (failure is null)
            {
                waiter.SetResult();
            }
            else
            {
                waiter.SetException(failure);
            }
        }
    }
}
