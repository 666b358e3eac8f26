using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>
/// A replica's durable storage for one LUN: block data (the extents) and the state of <see cref="ReplicaDurableState"/>, each
/// write atomic. The production implementation is RocksDB (one WriteBatch per call, WAL written to the OS on every write, so a
/// process crash loses nothing already written; synced writes also survive power loss).
/// <para>
/// Durability contract: every method that changes state must, when it returns, have made the change survive a crash of the
/// process. Only <see cref="SavePromise"/>, <see cref="Sync"/>, and writes with their Sync flag set must also survive power
/// loss; a power loss may lose a suffix of the other writes, whole writes only, never a write without the ones before it.
/// </para>
/// The replica state machine calls the store synchronously; it never calls it from two threads at once.
/// </summary>
public interface IReplicaStore
{
    /// <summary>The durable state, when the replica starts.</summary>
    ReplicaDurableState Load();

    /// <summary>Records a promise, synced (with everything written before it) before returning.</summary>
    void SavePromise(long epoch, int owner, long incarnation);

    /// <summary>Appends entries: data, tail metadata, extent versions and position in one atomic write.</summary>
    void Append(AppendBatch batch);

    /// <summary>Reads byte ranges (the owner's local reads), returning the log position the contents reflect.</summary>
    BlockRead Read(IReadOnlyList<ByteRange> ranges);

    /// <summary>Opens a consistent snapshot for a catch-up source. The caller disposes it.</summary>
    IReplicaSnapshot OpenSnapshot();

    /// <summary>
    /// Keeps blocks of catch-up <paramref name="session"/> aside, invisible until <see cref="InstallCatchUp"/>. Staging a new
    /// session discards another's. Staged blocks need not survive a crash: the session is then started again.
    /// </summary>
    void StageCatchUp(long session, IReadOnlyList<WriteRange> blocks);

    /// <summary>Installs the staged blocks of the session, the final blocks and the new position in one atomic write.</summary>
    void InstallCatchUp(CatchUpInstall install);

    /// <summary>Drops any staged catch-up blocks.</summary>
    void DiscardCatchUp();

    /// <summary>Syncs every write made so far (FUA, SYNCHRONIZE CACHE, background sync).</summary>
    void Sync();
}
