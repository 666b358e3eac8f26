using IscsiCluster.Replication.Log;
using IscsiCluster.Replication.Storage;

namespace IscsiCluster.Replication.Tests.Simulation;

/// <summary>
/// The in-memory store seen through check (4): a replica never promises a lower epoch than before, and never appends an entry
/// of an epoch lower than what it promised. Checked where the protocol writes, so nothing can slip past.
/// </summary>
internal sealed class CheckedStore(InMemoryReplicaStore inner, int node, Action<string> violation) : IReplicaStore
{
    public InMemoryReplicaStore Inner { get; } = inner;

    public ReplicaDurableState Load() => Inner.Load();

    public void SavePromise(long epoch, int owner, long incarnation)
    {
        if (epoch <= Inner.Promised)
        {
            violation($"(4) replica {node} promised epoch {epoch} after promising {Inner.Promised}");
        }

        Inner.SavePromise(epoch, owner, incarnation);
    }

    public void Append(AppendBatch batch)
    {
        foreach (var entry in batch.Entries)
        {
            if (entry.Epoch < Inner.Promised)
            {
                violation($"(4) replica {node} appended {entry.Position} while it had promised {Inner.Promised}");
            }
        }

        Inner.Append(batch);
    }

    public BlockRead Read(IReadOnlyList<ByteRange> ranges) => Inner.Read(ranges);

    public IReplicaSnapshot OpenSnapshot() => Inner.OpenSnapshot();

    public void StageCatchUp(long session, IReadOnlyList<WriteRange> blocks) => Inner.StageCatchUp(session, blocks);

    public void InstallCatchUp(CatchUpInstall install) => Inner.InstallCatchUp(install);

    public void DiscardCatchUp() => Inner.DiscardCatchUp();

    public void Sync() => Inner.Sync();
}
