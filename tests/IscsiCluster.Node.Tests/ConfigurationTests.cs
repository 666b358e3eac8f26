using IscsiCluster.Config;
using IscsiCluster.Node.Configuration;

namespace IscsiCluster.Node.Tests;

/// <summary>A bad node configuration gets an error that names the key; a good one reads as written.</summary>
public sealed class ConfigurationTests
{
    private static NodeSettings Read(string targets)
        => NodeSettings.Create(NodeHost.LoadConfig(Config.Config.ParseString($"iscsi-cluster.targets = [ {targets} ]", "test.conf")));

    [Fact]
    public void TheShippedSingleNodeConfigurationDescribesTheDemoTarget()
    {
        var path = Path.Combine(RepositoryRoot(), "cluster-config", "single-node.conf");
        var settings = NodeSettings.Create(NodeHost.LoadConfig(Config.Config.ParseFile(path)));

        var target = Assert.Single(settings.Targets);
        Assert.Equal("iqn.2026-11.io.iscsicluster:demo", target.Name);
        var lun = Assert.Single(target.Luns);
        Assert.Equal((1UL, 1L << 30, 512), (lun.Lun, lun.SizeBytes, lun.BlockSize));
        Assert.True(target.Acl.Admits("iqn.1994-05.com.redhat:any", System.Net.IPAddress.Loopback));
    }

    [Theory]
    [InlineData("{ name = \"not-an-iqn\" }", "name")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", luns = [ { lun = 1, size = 1000 } ] }", "size")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", luns = [ { lun = 1, size = 1M, block-size = 1000 } ] }", "block-size")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", luns = [ { lun = 99999, size = 1M } ] }", "lun")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", luns = [ { lun = 1, size = 1M }, { lun = 1, size = 2M } ] }", "LUN 1")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", initiator-addresses = [\"10.0.0.0/99\"] }", "initiator-addresses")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", incoming-accounts = [ { user = \"u\", password = \"\" } ] }", "password")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\" }, { name = \"IQN.2026-11.A.B:C\" }", "twice")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", incoming-accounts = [ { user = \"</target>\", password = \"long-enough-secret\" } ] }", "incoming-accounts[0].user")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", incoming-accounts = [ { user = \"u\", password = \"one secret\" } ] }", "incoming-accounts[0].password")]
    [InlineData("{ name = \"iqn.2026-11.a.b:c\", incoming-accounts = [ { user = \"u\", password = \"shared-secret-1\" } ], outgoing-account = { user = \"t\", password = \"shared-secret-1\" } }", "outgoing-account")]
    public void ABadTargetIsRefusedNamingTheKey(string targets, string named)
    {
        var error = Assert.ThrowsAny<Exception>(() => Read(targets));

        Assert.True(error is NodeConfigurationException or ConfigException, error.ToString());
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AclAdmitsByAddressNetworkOrName()
    {
        var acl = InitiatorAcl.Create(["192.0.2.7", "198.51.100.0/24"], ["iqn.2026-11.org.example:host"]);

        Assert.True(acl.Admits("iqn.x:y", System.Net.IPAddress.Parse("192.0.2.7")));
        Assert.True(acl.Admits("iqn.x:y", System.Net.IPAddress.Parse("198.51.100.200")));
        Assert.True(acl.Admits("IQN.2026-11.ORG.EXAMPLE:HOST", System.Net.IPAddress.Parse("203.0.113.1")));
        Assert.False(acl.Admits("iqn.x:y", System.Net.IPAddress.Parse("192.0.2.8")));
        Assert.False(InitiatorAcl.Create([], []).Admits("iqn.x:y", System.Net.IPAddress.Loopback));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "IscsiCluster.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("IscsiCluster.sln not found above the test directory");
    }
}
