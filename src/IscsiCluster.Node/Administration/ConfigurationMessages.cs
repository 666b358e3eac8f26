using IscsiCluster.Cluster;

namespace IscsiCluster.Node.Administration;

/// <summary>
/// The cluster's configuration (targets, LUNs, ACLs, accounts) as its owner publishes it to every node
/// (DistributedPubSub topic <see cref="Topic"/>): after every change and every few seconds, so a node that was away or
/// just started catches up. <paramref name="Json"/> is the configuration in the admin protocol's JSON.
/// </summary>
public sealed record ConfigurationPublished(long Version, byte[] Json, int Owner) : IClusterMessage
{
    public const string Topic = "iscsi-cluster.configuration";
}

/// <summary>
/// Asks the configuration's owner to replace version <paramref name="BaseVersion"/> with <paramref name="Json"/>
/// (compare and set); the answer is a <see cref="ConfigurationProposalResult"/>.
/// </summary>
public sealed record ProposeConfiguration(long BaseVersion, byte[] Json) : IClusterMessage;

/// <summary>
/// The owner's answer: accepted (now durable on a majority, as <paramref name="Version"/>), or refused because the
/// configuration moved on meanwhile (<paramref name="Current"/> holds it) or the owner cannot write now (<paramref name="Error"/>).
/// </summary>
public sealed record ConfigurationProposalResult(bool Accepted, long Version, byte[]? Current, string? Error) : IClusterMessage;

/// <summary>Starts the configuration's owner wherever sharding places it, and asks it to publish at once.</summary>
public sealed record WakeConfiguration : IClusterMessage
{
    public static readonly WakeConfiguration Instance = new();
}

/// <summary>Starts a LUN's owner wherever sharding places it, and asks it to announce itself at once.</summary>
public sealed record WakeLun(ulong LunId) : IClusterMessage;

/// <summary>Asks a node's <see cref="NodeSessionsActor"/> for the iSCSI sessions logged in through its portal.</summary>
public sealed record GetNodeSessions : IClusterMessage
{
    public static readonly GetNodeSessions Instance = new();
}

/// <summary>The sessions logged in through one node's portal.</summary>
public sealed record NodeSessions(int Node, IReadOnlyList<Admin.Contracts.Protocol.SessionInfo> Sessions) : IClusterMessage;
