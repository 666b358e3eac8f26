using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;

namespace IscsiCluster.Node.Tests;

/// <summary>A new cluster's configuration comes from the HOCON targets: tids in list order, accounts shared by name.</summary>
public sealed class ConfigurationSeedTests
{
    [Fact]
    public void TargetsGetTidsInListOrderWithTheirLunsAclAndAccounts()
    {
        var targets = Read("""
            { name = "iqn.2026-11.a.b:one", alias = "one", luns = [ { lun = 1, size = 1M } ], initiator-addresses = ["all", "10.0.0.0/8"],
              incoming-accounts = [ { user = "u", password = "secret-1" } ], outgoing-account = { user = "t", password = "secret-2" } },
            { name = "iqn.2026-11.a.b:two", initiator-names = ["iqn.2026-11.c.d:host"], incoming-accounts = [ { user = "u", password = "secret-1" } ] }
            """);

        var configuration = ConfigurationSeed.FromSettings(targets);

        Assert.Equal([(1, "iqn.2026-11.a.b:one"), (2, "iqn.2026-11.a.b:two")], configuration.Targets.Select(t => (t.Tid, t.Name)));
        var one = configuration.Targets[0];
        Assert.Equal("one", one.Alias);
        Assert.Equal(["ALL", "10.0.0.0/8"], one.InitiatorAddresses);
        Assert.Equal(["u"], one.IncomingUsers);
        Assert.Equal("t", one.OutgoingUser);
        var lun = Assert.Single(one.Luns);
        Assert.True(lun.VolumeId is > 0xFFFF, "the LUN has no cluster-wide id above the reserved ones");
        Assert.NotEqual(lun.VolumeId, ConfigurationSeed.FromSettings(targets).Targets[0].Luns[0].VolumeId);
        Assert.Equal(["iqn.2026-11.c.d:host"], configuration.Targets[1].InitiatorNames);
        Assert.Equal(["u", "t"], configuration.Accounts.Select(a => a.User));
    }

    [Fact]
    public void OneUserWithTwoPasswordsIsRefused()
    {
        var targets = Read("""
            { name = "iqn.2026-11.a.b:one", incoming-accounts = [ { user = "u", password = "secret-1" } ] },
            { name = "iqn.2026-11.a.b:two", incoming-accounts = [ { user = "u", password = "secret-2" } ] }
            """);

        var error = Assert.Throws<NodeConfigurationException>(() => ConfigurationSeed.FromSettings(targets));

        Assert.Contains("'u'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LunZeroIsRefusedAsTheController()
    {
        var error = Assert.Throws<NodeConfigurationException>(() => Read("""{ name = "iqn.2026-11.a.b:one", luns = [ { lun = 0, size = 1M } ] }"""));

        Assert.Contains("controller", error.Message, StringComparison.Ordinal);
    }

    private static IReadOnlyList<TargetSettings> Read(string targets) =>
        NodeSettings.Create(NodeHost.LoadConfig(Config.Config.ParseString($"iscsi-cluster.targets = [ {targets} ]", "test.conf"))).Targets;
}
