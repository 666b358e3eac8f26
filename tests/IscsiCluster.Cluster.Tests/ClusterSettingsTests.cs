using System.Net;
using IscsiCluster.Config;
using AkkaConfigurationFactory = Akka.Configuration.ConfigurationFactory;

namespace IscsiCluster.Cluster.Tests;

public class ClusterSettingsTests
{
    private static readonly IPEndPoint Portal = new(IPAddress.Loopback, 3260);

    [Fact]
    public void WithoutANodeListTheNodeIsAClusterOfOneOnItsPortal()
    {
        var settings = ClusterSettings.Create(Config.Config.Empty, Portal);

        Assert.True(settings.IsSingleNode);
        Assert.Equal(1, settings.Self);
        Assert.Equal(Portal, settings.Me.Portal);
        Assert.Equal(1, settings.ReplicationFactor);
        Assert.Equal(1, settings.Majority);
        Assert.Equal([1], settings.ReplicasOf(42));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void TheShippedClusterFilesDescribeThreeNodesOnTheirOwnLoopbackAddresses(int number)
    {
        var path = Path.Combine(RepositoryRoot(), "cluster-config", $"node-{number}.conf");
        var settings = ClusterSettings.Create(Config.Config.ParseFile(path), Portal);

        Assert.Equal(number, settings.Self);
        Assert.Equal(3, settings.Nodes.Count);
        Assert.Equal(3, settings.ReplicationFactor);
        Assert.Equal(2, settings.Majority);
        Assert.Equal(new IPEndPoint(IPAddress.Parse($"127.0.0.{number}"), 3260), settings.Me.Portal);
        Assert.Equal(new IPEndPoint(IPAddress.Parse($"127.0.0.{number}"), 4054), settings.Me.Data);
    }

    [Fact]
    public void AkkaHearsItsAddressRoleAndEveryNodeAsASeed()
    {
        var settings = ClusterSettings.Create(Config.Config.ParseString(ThreeNodes(self: 2)), Portal);

        var akka = settings.AkkaOverrides(AkkaConfigurationFactory.Empty);

        Assert.Equal("10.9.0.2", akka.GetString("akka.remote.dot-netty.tcp.hostname"));
        Assert.Equal(4053, akka.GetInt("akka.remote.dot-netty.tcp.port"));
        Assert.Equal(["node-2"], akka.GetStringList("akka.cluster.roles"));
        Assert.Equal(
            ["akka.tcp://iscsi-cluster@10.9.0.1:4053", "akka.tcp://iscsi-cluster@10.9.0.2:4053", "akka.tcp://iscsi-cluster@10.9.0.3:4053"],
            akka.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void SeedNodesGivenInTheAkkaSectionAreKept()
    {
        var settings = ClusterSettings.Create(Config.Config.ParseString(ThreeNodes(self: 1)), Portal);
        var mine = AkkaConfigurationFactory.ParseString("""akka.cluster.seed-nodes = ["akka.tcp://iscsi-cluster@10.9.0.3:4053"]""");

        var akka = settings.AkkaOverrides(mine).WithFallback(mine);

        Assert.Equal(["akka.tcp://iscsi-cluster@10.9.0.3:4053"], akka.GetStringList("akka.cluster.seed-nodes"));
    }

    [Fact]
    public void ReplicaSetsAreDeterministicSpreadAndOfTheConfiguredSize()
    {
        var five = ClusterSettings.Create(Config.Config.ParseString(Nodes(5, self: 1, factor: 3)), Portal);
        var again = ClusterSettings.Create(Config.Config.ParseString(Nodes(5, self: 4, factor: 3)), Portal);
        var counts = new int[6];
        for (ulong lun = 1; lun <= 1000; lun++)
        {
            var replicas = five.ReplicasOf(lun);
            Assert.Equal(3, replicas.Count);
            Assert.Equal(replicas.Distinct().Count(), replicas.Count);
            Assert.Equal(replicas, again.ReplicasOf(lun));
            foreach (var node in replicas)
            {
                counts[node]++;
            }
        }

        // 3000 placements over 5 nodes: each near 600.
        Assert.All(counts.Skip(1), count => Assert.InRange(count, 500, 700));
    }

    [Fact]
    public void APortalAddressPutsThePortalOnAnotherNetworkThanThePeers()
    {
        var text = ThreeNodes(self: 2).Replace(
            "{ number = 2, address = \"10.9.0.2\",", "{ number = 2, address = \"10.9.0.2\", portal-address = \"192.0.2.2\",", StringComparison.Ordinal);
        var settings = ClusterSettings.Create(Config.Config.ParseString(text), Portal);

        Assert.Equal("192.0.2.2:3260", settings.Me.Portal.ToString());
        Assert.Equal("10.9.0.2:4054", settings.Me.Data.ToString());
        Assert.Equal("10.9.0.1:3260", settings.Nodes.Single(n => n.Number == 1).Portal.ToString());
        Assert.Equal("10.9.0.2", settings.AkkaOverrides(AkkaConfigurationFactory.Empty).GetString("akka.remote.dot-netty.tcp.hostname"));
    }

    [Theory]
    [InlineData("iscsi-cluster.cluster.nodes += { number = 7, address = \"10.9.0.9\", portal-address = \"nowhere\", portal-port = 1, remoting-port = 2, data-port = 3 }", "portal-address")]
    [InlineData("iscsi-cluster.node.number = 4", "iscsi-cluster.node.number")]
    [InlineData("iscsi-cluster.cluster.replication-factor = 0", "replication-factor")]
    [InlineData("iscsi-cluster.cluster.nodes += { number = 1, address = \"10.9.0.9\", portal-port = 1, remoting-port = 2, data-port = 3 }", "listed twice")]
    [InlineData("iscsi-cluster.cluster.nodes += { number = 7, address = \"0.0.0.0\", portal-port = 1, remoting-port = 2, data-port = 3 }", "address")]
    [InlineData("iscsi-cluster.cluster.nodes += { number = 7, address = \"10.9.0.9\", portal-port = 0, remoting-port = 2, data-port = 3 }", "portal-port")]
    [InlineData("iscsi-cluster.cluster.nodes += { number = 7, address = \"10.9.0.9\", portal-port = 1, remoting-port = 2 }", "data-port")]
    public void ABadClusterIsRefusedNamingTheKey(string change, string named)
    {
        var error = Assert.Throws<ConfigException>(() => ClusterSettings.Create(Config.Config.ParseString(ThreeNodes(self: 1) + "\n" + change), Portal));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AFactorAboveTheNumberOfNodesKeepsEveryLunOnEveryNode()
    {
        var settings = ClusterSettings.Create(Config.Config.ParseString(Nodes(2, self: 1, factor: 3)), Portal);
        Assert.Equal(2, settings.ReplicationFactor);
        Assert.Equal([1, 2], settings.ReplicasOf(7));
    }

    private static string ThreeNodes(int self) => Nodes(3, self, 3);

    private static string Nodes(int count, int self, int factor) => $$"""
        iscsi-cluster.node.number = {{self}}
        iscsi-cluster.cluster.replication-factor = {{factor}}
        iscsi-cluster.cluster.nodes = [
        {{string.Join("\n", Enumerable.Range(1, count).Select(n => $"{{ number = {n}, address = \"10.9.0.{n}\", portal-port = 3260, remoting-port = 4053, data-port = 4054 }}"))}}
        ]
        """;

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IscsiCluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("the repository root was not found");
    }
}
