using System.Net;
using IscsiCluster.Config;
using AkkaConfig = Akka.Configuration.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace IscsiCluster.Cluster;

/// <summary>
/// The <c>iscsi-cluster.cluster</c> section and this node's number: which nodes make the cluster, which one
/// this is, and how many keep each LUN. With no node listed, the node is a cluster of one on its own portal.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>The Akka actor system's name: the same on every node, as Akka.Cluster requires of one cluster.</summary>
    public const string SystemName = "iscsi-cluster";

    private const string Section = "iscsi-cluster.cluster";

    /// <summary>The defaults shipped in this assembly's reference.conf.</summary>
    public static Config.Config Reference { get; } = ConfigFactory.FromResource(typeof(ClusterSettings).Assembly, "IscsiCluster.Cluster.reference.conf");

    public required int Self { get; init; }

    /// <summary>Every node, by number.</summary>
    public required IReadOnlyList<ClusterNode> Nodes { get; init; }

    public required int ReplicationFactor { get; init; }

    /// <summary>True when no node list was configured: this node alone.</summary>
    public bool IsSingleNode => Nodes.Count == 1;

    public ClusterNode Me => Node(Self);

    /// <summary>How many nodes must agree: a majority of all nodes.</summary>
    public int Majority => Nodes.Count / 2 + 1;

    public ClusterNode Node(int number) => Nodes.First(n => n.Number == number);

    /// <summary>Reads the settings; <paramref name="singleNodePortal"/> is this node's portal when no node list is given.</summary>
    public static ClusterSettings Create(Config.Config config, IPEndPoint singleNodePortal)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(singleNodePortal);
        config = config.WithFallback(Reference);
        var section = config.GetConfig(Section);
        var self = config.GetInt("iscsi-cluster.node.number");
        var entries = section.GetConfigList("nodes");
        var nodes = entries.Count == 0
            ? [new ClusterNode(self, singleNodePortal.Address, singleNodePortal.Port, 0, 0)]
            : entries.Select((entry, index) => ReadNode(entry, $"{Section}.nodes[{index}]")).ToList();

        var duplicate = nodes.GroupBy(n => n.Number).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw Invalid("nodes", $"node {duplicate.Key} is listed twice");
        }

        if (nodes.All(n => n.Number != self))
        {
            throw new ConfigException($"key 'iscsi-cluster.node.number': {self} is not a node of {Section}.nodes ({string.Join(", ", nodes.Select(n => n.Number))})");
        }

        var factor = section.GetInt("replication-factor");
        if (factor < 1)
        {
            throw Invalid("replication-factor", $"{factor} is less than 1");
        }

        return new ClusterSettings { Self = self, Nodes = nodes, ReplicationFactor = Math.Min(factor, nodes.Count) };
    }

    /// <summary>
    /// What this node tells Akka on top of its akka section: its remoting address, its role (its node number),
    /// and, unless the section names them, the seed nodes (every listed node; a node alone joins itself).
    /// </summary>
    public AkkaConfig AkkaOverrides(AkkaConfig akka)
    {
        ArgumentNullException.ThrowIfNull(akka);
        var seeds = IsSingleNode ? [] : Nodes.Select(n => $"\"{n.AkkaAddress(SystemName)}\"");
        var seedLine = akka.HasPath("akka.cluster.seed-nodes") && akka.GetStringList("akka.cluster.seed-nodes").Count > 0
            ? string.Empty
            : $"akka.cluster.seed-nodes = [{string.Join(", ", seeds)}]";
        // A node alone listens on loopback (there is nobody to reach it), whatever its portal's address.
        var host = IsSingleNode ? "127.0.0.1" : Me.Address.ToString();
        return AkkaConfigurationFactory.ParseString($"""
            akka.remote.dot-netty.tcp.hostname = "{host}"
            akka.remote.dot-netty.tcp.port = {Me.RemotingPort}
            akka.cluster.roles = ["{Me.Name}"]
            {seedLine}
            """);
    }

    /// <summary>
    /// The nodes that keep the LUN <paramref name="lunId"/>: the <see cref="ReplicationFactor"/> nodes that rank
    /// highest for it (rendezvous hashing), so every node computes the same set and adding a node moves few LUNs.
    /// </summary>
    public IReadOnlyList<int> ReplicasOf(ulong lunId) =>
        [.. Nodes.OrderByDescending(n => Rank(lunId, n.Number)).ThenBy(n => n.Number).Take(ReplicationFactor).Select(n => n.Number).Order()];

    private static ulong Rank(ulong lunId, int node)
    {
        // SplitMix64 of the pair: a fixed, well-mixed function every node agrees on (no process-seeded hashing).
        var x = lunId ^ ((ulong)node * 0x9E3779B97F4A7C15UL);
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }

    private static ClusterNode ReadNode(Config.Config entry, string path)
    {
        var number = entry.GetInt("number");
        if (number < 1 || number > ushort.MaxValue)
        {
            throw new ConfigException($"key '{path}.number': {number} is outside 1..{ushort.MaxValue}");
        }

        var address = NodeAddress(entry, path, "address");
        var portalAddress = entry.HasPath("portal-address") ? NodeAddress(entry, path, "portal-address") : null;
        return new ClusterNode(number, address, Port(entry, path, "portal-port"), Port(entry, path, "remoting-port"), Port(entry, path, "data-port"), portalAddress);
    }

    private static IPAddress NodeAddress(Config.Config entry, string path, string key)
    {
        var text = entry.GetString(key);
        if (!IPAddress.TryParse(text, out var address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            throw new ConfigException($"key '{path}.{key}': '{text}' is not the IP address of one node");
        }

        return address;
    }

    private static int Port(Config.Config entry, string path, string key)
    {
        var port = entry.GetInt(key);
        return port is >= 1 and <= IPEndPoint.MaxPort ? port : throw new ConfigException($"key '{path}.{key}': {port} is outside 1..{IPEndPoint.MaxPort}");
    }

    private static ConfigException Invalid(string key, string reason) => new($"key '{Section}.{key}': {reason}");
}
