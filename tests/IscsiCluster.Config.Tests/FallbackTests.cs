using System.Reflection;

namespace IscsiCluster.Config.Tests;

public class FallbackTests
{
    private const string ReferenceResource = "IscsiCluster.Config.Tests.Resources.reference.conf";

    private static readonly Assembly TestAssembly = typeof(FallbackTests).Assembly;

    [Fact]
    public void ThisConfigWinsOverItsFallback()
    {
        var user = Config.ParseString("a = user\nobj { x = user }");
        var lib = Config.ParseString("a = lib\nb = lib\nobj { x = lib, y = lib }");
        var merged = user.WithFallback(lib);
        Assert.Equal("user", merged.GetString("a"));
        Assert.Equal("lib", merged.GetString("b"));
        Assert.Equal("user", merged.GetString("obj.x"));
        Assert.Equal("lib", merged.GetString("obj.y"));
        Assert.Equal(["a", "obj", "b"], merged.GetKeys());
    }

    [Fact]
    public void FallbacksChainInPriorityOrder()
    {
        var merged = Config.ParseString("a = 1")
            .WithFallback(Config.ParseString("a = 2\nb = 2"))
            .WithFallback(Config.ParseString("a = 3\nb = 3\nc = 3"));
        Assert.Equal([1, 2, 3], new[] { "a", "b", "c" }.Select(merged.GetInt));
    }

    [Fact]
    public void SubstitutionsResolveAgainstTheMergedDocument()
    {
        var user = Config.ParseString("listen = ${iscsi.portal.port}");
        var merged = user.WithFallback(ConfigFactory.FromResource(TestAssembly, ReferenceResource));
        Assert.Equal(3260, merged.GetInt("listen"));
    }

    [Fact]
    public void FallbackValueSeenThroughASubstitutionIsTheWinningValue()
    {
        var user = Config.ParseString("iscsi.portal.port = 3261");
        var lib = Config.ParseString("iscsi.portal.port = 3260\nlisten = ${iscsi.portal.port}");
        Assert.Equal(3261, user.WithFallback(lib).GetInt("listen"));
    }

    [Fact]
    public void SelfReferenceInTheUserFileAppendsToTheFallbackValue()
    {
        var user = Config.ParseString("list = ${list} [user]");
        var lib = Config.ParseString("list = [lib]");
        Assert.Equal(["lib", "user"], user.WithFallback(lib).GetStringList("list"));
    }

    [Fact]
    public void ResourceLoadsWithItsClasspathIncludes()
    {
        var reference = ConfigFactory.FromResource(TestAssembly, ReferenceResource);
        Assert.Equal(TimeSpan.FromSeconds(15), reference.GetTimeSpan("iscsi.timeouts.login"));
        Assert.Equal(256 * 1024, reference.GetByteSize("iscsi.max-burst"));
        Assert.True(reference.GetBoolean("extra.loaded"));
    }

    [Fact]
    public void MissingResourceIsAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigFactory.FromResource(TestAssembly, "no.such.conf"));
        Assert.Equal("no.such.conf", error.Origin);
    }

    [Fact]
    public void EmptyFallbackChangesNothing()
    {
        var config = Config.ParseString("a = 1");
        Assert.Equal(config.Render(), config.WithFallback(Config.Empty).Render());
        Assert.Equal(1, Config.Empty.WithFallback(config).GetInt("a"));
    }
}
