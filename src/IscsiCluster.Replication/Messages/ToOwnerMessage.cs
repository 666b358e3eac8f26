namespace IscsiCluster.Replication.Messages;

/// <summary>
/// A message for the owner of the LUN (its <see cref="Owner.OwnerCore"/>, in the LUN actor): replicas' answers. When the node
/// no longer hosts an owner for the LUN the host drops it.
/// </summary>
public abstract record ToOwnerMessage : ReplicationMessage;
