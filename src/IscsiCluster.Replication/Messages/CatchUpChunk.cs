using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Catch-up source to target: chunk <see cref="Chunk"/> of <see cref="ChunkCount"/>, the current contents of some blocks as of
/// one snapshot. The target stages chunks and installs them all at once with the last one, which carries
/// <see cref="Final"/>, and only if its log still ends at <see cref="ExpectedTargetLast"/> (what the plan was made from).
/// <see cref="BytesAfter"/> is what the chunks after this one hold, for progress.
/// </summary>
public sealed record CatchUpChunk(
    long Epoch,
    int Owner,
    long Session,
    int Chunk,
    int ChunkCount,
    LogPosition Snapshot,
    long BytesAfter,
    IReadOnlyList<WriteRange> Blocks,
    LogPosition ExpectedTargetLast,
    CatchUpFinal? Final) : ToReplicaMessage;
