using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>Replica to owner: the highest epoch it promised and its last entry.</summary>
public sealed record ProbeReply(long ProbeId, long Promised, LogPosition Last) : ToOwnerMessage;
