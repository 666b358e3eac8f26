using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Replication;

/// <summary>Log lines of replication hosting (event ids 5100-5199).</summary>
internal static partial class ReplicationLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Dropped a malformed replication message from node {Peer} ({Count} so far): {Reason}")]
    public static partial void MalformedMessage(ILogger logger, int peer, long count, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Replica of LUN {LunId:x15} open: {SizeBytes} bytes, replicas {Replicas}, at {Position}")]
    public static partial void ReplicaOpened(ILogger logger, ulong lunId, long sizeBytes, string replicas, string position);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Deleted volume {LunId:x15} ({SizeBytes} bytes): no LUN of the cluster keeps a replica on this node")]
    public static partial void OrphanDeleted(ILogger logger, ulong lunId, long sizeBytes);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Error, Message = "Replica of LUN {LunId:x15} failed; it restarts from its store")]
    public static partial void ReplicaFailed(ILogger logger, ulong lunId, Exception exception);
}
