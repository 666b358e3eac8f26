namespace IscsiCluster.Config.Tests;

public class GetterTests
{
    private const string Document = """
        iscsi {
          portal {
            port = "abc"
            address = 0.0.0.0
          }
          targets = [
            { iqn = "iqn.2026-01.test:a", luns = [0, 1] }
            { iqn = "iqn.2026-01.test:b", luns = [] }
          ]
          big = 3000000000
        }
        """;

    private static Config Parse() => Config.ParseString(Document, "single-node.conf");

    [Fact]
    public void TypeErrorNamesFileLineAndKey()
    {
        var error = Assert.Throws<ConfigException>(() => Parse().GetInt("iscsi.portal.port"));
        Assert.Equal("single-node.conf:3: key 'iscsi.portal.port': expected a number, got \"abc\"", error.Message);
        Assert.Equal("single-node.conf", error.Origin);
        Assert.Equal(3, error.Line);
        Assert.Equal("iscsi.portal.port", error.Path);
    }

    [Fact]
    public void MissingKeyNamesTheKey()
    {
        var error = Assert.Throws<ConfigException>(() => Parse().GetString("iscsi.portal.nope"));
        Assert.Equal("iscsi.portal.nope", error.Path);
        Assert.Contains("'iscsi.portal.nope'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeysOfASubConfigAreReportedWithTheirFullPath()
    {
        var portal = Parse().GetConfig("iscsi.portal");
        var error = Assert.Throws<ConfigException>(() => portal.GetInt("port"));
        Assert.Equal("iscsi.portal.port", error.Path);
        Assert.Equal("0.0.0.0", portal.GetString("address"));
    }

    [Fact]
    public void IntRangeIsChecked()
    {
        Assert.Equal(3_000_000_000L, Parse().GetLong("iscsi.big"));
        var error = Assert.Throws<ConfigException>(() => Parse().GetInt("iscsi.big"));
        Assert.Equal(10, error.Line);
    }

    [Fact]
    public void ConfigListGivesOneConfigPerObject()
    {
        var targets = Parse().GetConfigList("iscsi.targets");
        Assert.Equal(["iqn.2026-01.test:a", "iqn.2026-01.test:b"], targets.Select(t => t.GetString("iqn")));
        Assert.Equal(["0", "1"], targets[0].GetStringList("luns"));
        var error = Assert.Throws<ConfigException>(() => targets[1].GetInt("iqn"));
        Assert.Equal("iscsi.targets[1].iqn", error.Path);
    }

    [Fact]
    public void WrongContainerTypesAreErrors()
    {
        var config = Parse();
        Assert.Throws<ConfigException>(() => config.GetConfig("iscsi.targets"));
        Assert.Throws<ConfigException>(() => config.GetStringList("iscsi.portal"));
        Assert.Throws<ConfigException>(() => config.GetConfigList("iscsi.big"));
        Assert.Throws<ConfigException>(() => config.GetString("iscsi.portal"));
        Assert.Throws<ConfigException>(() => config.GetStringList("iscsi.targets"));
    }

    [Fact]
    public void GetStringWithDefaultOnlyAppliesToMissingKeys()
    {
        var config = Parse();
        Assert.Equal("0.0.0.0", config.GetString("iscsi.portal.address", "x"));
        Assert.Equal("x", config.GetString("iscsi.portal.other", "x"));
        Assert.Equal("x", config.GetString("nothing.at.all", "x"));
    }

    [Fact]
    public void HasPathFollowsObjects()
    {
        var config = Parse();
        Assert.True(config.HasPath("iscsi.portal.port"));
        Assert.True(config.HasPath("iscsi.portal"));
        Assert.False(config.HasPath("iscsi.portal.port.deeper"));
        Assert.False(config.HasPath("iscsi.nope"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a..b")]
    [InlineData("a.")]
    public void MalformedLookupPathsAreConfigErrors(string path)
    {
        Assert.Throws<ConfigException>(() => Parse().HasPath(path));
    }

    [Fact]
    public void GetKeysListsTopLevelKeysInOrder()
    {
        var config = Config.ParseString("z = 1\na { b = 2 }\nm = 3");
        Assert.Equal(["z", "a", "m"], config.GetKeys());
        Assert.Empty(Config.Empty.GetKeys());
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("1e30")]
    public void WholeNumberGettersRejectFractionsAndHugeNumbers(string literal)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString($"n = {literal}").GetLong("n"));
        Assert.Equal("n", error.Path);
    }

    [Fact]
    public void DoubleRejectsText()
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString("\nd = fast").GetDouble("d"));
        Assert.Equal(2, error.Line);
    }
}
