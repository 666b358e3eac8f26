using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Storage;

/// <summary>Block contents read from a replica, with the log position they reflect.</summary>
public sealed record BlockRead(LogPosition Position, IReadOnlyList<ReadOnlyMemory<byte>> Data);
