namespace IscsiCluster.Admin.Contracts.Protocol;

/// <summary>What <c>--mode cluster --op show</c> returns: every node, its portal and sessions, and every LUN's owner and replicas.</summary>
/// <param name="Self">The node that answered.</param>
/// <param name="Majority">How many nodes the cluster needs up to change its configuration and serve writes.</param>
/// <param name="Nodes">Every configured node, by number.</param>
/// <param name="Luns">Every LUN of every target, with where it is served from.</param>
public sealed record ClusterStatus(int Self, int Majority, IReadOnlyList<NodeStatus> Nodes, IReadOnlyList<LunStatus> Luns);

/// <summary>One node as the answering node sees it.</summary>
/// <param name="Number">The node's number (its target port group and relative target port id).</param>
/// <param name="Name">node-N.</param>
/// <param name="Portal">Its iSCSI portal, address:port.</param>
/// <param name="State">up, unreachable, leaving or down (cluster membership, from the answering node).</param>
/// <param name="Sessions">The iSCSI sessions logged in through its portal; null when it did not answer.</param>
public sealed record NodeStatus(int Number, string Name, string Portal, string State, IReadOnlyList<SessionInfo>? Sessions);

/// <summary>One LUN: which node owns it (runs its SCSI state and orders its writes) and how each replica keeps up.</summary>
/// <param name="Tid">The target.</param>
/// <param name="Lun">The LUN number.</param>
/// <param name="VolumeId">The cluster-wide id of its volume (what node logs name).</param>
/// <param name="Owner">The owner's node; null when no owner answered.</param>
/// <param name="State">The owner's state: serving, recovering, waiting-lease, lease-lapsed, stopped; unreachable without an owner.</param>
/// <param name="Epoch">The owner's epoch (it grows each time the LUN gets a new owner).</param>
/// <param name="CommittedIndex">The last write entry a majority holds.</param>
/// <param name="Replicas">Each node that keeps a copy.</param>
public sealed record LunStatus(int Tid, ulong Lun, ulong VolumeId, int? Owner, string State, long Epoch, long CommittedIndex, IReadOnlyList<ReplicaInfo> Replicas);

/// <summary>One copy of a LUN, as its owner sees it.</summary>
/// <param name="Node">The node that keeps it.</param>
/// <param name="Health">in-sync, catching-up or absent.</param>
/// <param name="MatchIndex">The last entry known to be on it; -1 when unknown.</param>
/// <param name="EntriesBehind">While catching up: the entries it still lacks.</param>
/// <param name="BytesLeft">While catching up: the bytes still to copy to it.</param>
public sealed record ReplicaInfo(int Node, string Health, long MatchIndex, long? EntriesBehind = null, long? BytesLeft = null);
