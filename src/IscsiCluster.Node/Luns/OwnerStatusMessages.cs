using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Cluster;

namespace IscsiCluster.Node.Luns;

/// <summary>Asks a LUN's owner, through the LUN region (so wherever it runs), how it and its replicas stand.</summary>
public sealed record GetOwnerStatus(ulong LunId) : IClusterMessage;

/// <summary>
/// The owner's answer: its node, state, epoch and committed index, and each replica's health as it sees it.
/// A LUN no longer in the configuration answers with state "absent" and no replicas.
/// </summary>
public sealed record OwnerStatusReport(ulong LunId, int Node, string State, long Epoch, long CommittedIndex, IReadOnlyList<ReplicaInfo> Replicas) : IClusterMessage;

/// <summary>Asks a LUN's owner, through the LUN region, for its I/O counters (tgt's <c>--op stat</c>).</summary>
public sealed record GetLunStatistics(ulong LunId) : IClusterMessage;

/// <summary>The owner's I/O counters, one entry per I_T nexus that sent commands (initiator port and target port group: the node whose portal it came through).</summary>
public sealed record LunStatisticsReport(ulong LunId, IReadOnlyList<NexusCounters> Nexuses) : IClusterMessage;

/// <summary>The I/O of one I_T nexus.</summary>
public sealed record NexusCounters(string InitiatorPort, ushort TargetPortGroup, IoCounters Counters);
