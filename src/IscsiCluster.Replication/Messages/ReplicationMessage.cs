namespace IscsiCluster.Replication.Messages;

/// <summary>
/// A message of the per-LUN replication protocol. Every message is plain data (numbers, positions, byte ranges and
/// <see cref="ReadOnlyMemory{T}"/> payloads) so that the host can serialize it onto its node-to-node data connection; the
/// host's envelope carries the LUN and the sending node. Every answer names the epoch of the request it answers, so that an
/// owner ignores answers meant for an older incarnation.
/// </summary>
public abstract record ReplicationMessage;
