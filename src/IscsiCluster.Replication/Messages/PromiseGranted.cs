using IscsiCluster.Replication.Log;

namespace IscsiCluster.Replication.Messages;

/// <summary>
/// Replica to owner: promised <see cref="Epoch"/>, durably, before answering. <see cref="Last"/> and <see cref="Committed"/>
/// let the owner choose the authority; <see cref="SinceLeaseAck"/> is how long ago, on the replica's own monotonic clock, it
/// last acknowledged a message of an older owner (which renewed that owner's lease), counted from its start when it has not
/// acknowledged any since, so the new owner can shorten its lease wait (REPLICATION.md "Becoming owner", step 5).
/// </summary>
public sealed record PromiseGranted(long Epoch, LogPosition Last, long Committed, TimeSpan SinceLeaseAck) : ToOwnerMessage;
