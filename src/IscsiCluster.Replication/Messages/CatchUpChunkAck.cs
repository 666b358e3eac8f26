using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Catch-up target to owner: chunk <see cref="Chunk"/> is staged; with <see cref="Installed"/>, the whole catch-up is installed
/// and the target's log now ends at <see cref="Position"/>.
/// </summary>
public sealed record CatchUpChunkAck(
    long Epoch, long Session, int Chunk, int ChunkCount, long BytesAfter, bool Installed, LogPosition Position) : ToOwnerMessage;
