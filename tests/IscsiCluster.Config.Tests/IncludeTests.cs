namespace IscsiCluster.Config.Tests;

public class IncludeTests
{
    [Fact]
    public void IncludeIsRelativeToTheIncludingFile()
    {
        using var dir = new TempDirectory();
        dir.Write("conf/common/base.conf", "port = 3260");
        dir.Write("conf/common/node.conf", "include \"base.conf\"\nname = node1");
        var main = dir.Write("conf/main.conf", "include \"common/node.conf\"\nextra = 1");
        var config = Config.ParseFile(main);
        Assert.Equal(3260, config.GetInt("port"));
        Assert.Equal("node1", config.GetString("name"));
    }

    [Fact]
    public void IncludeFileFunctionWorksLikeAPlainName()
    {
        using var dir = new TempDirectory();
        dir.Write("other.conf", "a = 1");
        var main = dir.Write("main.conf", "include file(\"other.conf\")");
        Assert.Equal(1, Config.ParseFile(main).GetInt("a"));
    }

    [Fact]
    public void IncludeWithoutExtensionTriesConf()
    {
        using var dir = new TempDirectory();
        dir.Write("other.conf", "a = 1");
        var main = dir.Write("main.conf", "include \"other\"");
        Assert.Equal(1, Config.ParseFile(main).GetInt("a"));
    }

    [Fact]
    public void MissingPlainIncludeIsIgnored()
    {
        using var dir = new TempDirectory();
        var main = dir.Write("main.conf", "include \"nothing-here.conf\"\na = 1");
        Assert.Equal(["a"], Config.ParseFile(main).GetKeys());
    }

    [Fact]
    public void MissingRequiredIncludeIsAnErrorNamingTheLine()
    {
        using var dir = new TempDirectory();
        var main = dir.Write("main.conf", "a = 1\ninclude required(\"nothing-here.conf\")");
        var error = Assert.Throws<ConfigException>(() => Config.ParseFile(main));
        Assert.Equal(main, error.Origin);
        Assert.Equal(2, error.Line);
        Assert.Contains("nothing-here.conf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RequiredFileIncludeLoadsWhenPresent()
    {
        using var dir = new TempDirectory();
        dir.Write("other.conf", "a = 1");
        var main = dir.Write("main.conf", "include required(file(\"other.conf\"))");
        Assert.Equal(1, Config.ParseFile(main).GetInt("a"));
    }

    [Fact]
    public void IncludeInsideAnObjectNestsTheFieldsAndFixesUpSubstitutions()
    {
        using var dir = new TempDirectory();
        dir.Write("portal.conf", "port = 3260\nlisten = ${port}");
        var main = dir.Write("main.conf", "iscsi { include \"portal.conf\" }");
        var config = Config.ParseFile(main);
        Assert.Equal(3260, config.GetInt("iscsi.port"));
        Assert.Equal(3260, config.GetInt("iscsi.listen"));
    }

    [Fact]
    public void IncludedSubstitutionMayStillReferToTheIncludingRoot()
    {
        using var dir = new TempDirectory();
        dir.Write("portal.conf", "listen = ${default-port}");
        var main = dir.Write("main.conf", "default-port = 1\niscsi { include \"portal.conf\" }");
        Assert.Equal(1, Config.ParseFile(main).GetInt("iscsi.listen"));
    }

    [Fact]
    public void FieldsAfterAnIncludeOverrideIt()
    {
        using var dir = new TempDirectory();
        dir.Write("defaults.conf", "a = 1\nb { x = 1, y = 1 }");
        var main = dir.Write("main.conf", "include \"defaults.conf\"\na = 2\nb.y = 2");
        var config = Config.ParseFile(main);
        Assert.Equal(2, config.GetInt("a"));
        Assert.Equal(1, config.GetInt("b.x"));
        Assert.Equal(2, config.GetInt("b.y"));
    }

    [Fact]
    public void ErrorsInAnIncludedFileNameThatFileAndLine()
    {
        using var dir = new TempDirectory();
        var bad = dir.Write("bad.conf", "ok = 1\nbroken = [\n");
        var main = dir.Write("main.conf", "include \"bad.conf\"");
        var error = Assert.Throws<ConfigException>(() => Config.ParseFile(main));
        Assert.Equal(bad, error.Origin);
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void IncludeCyclesAreErrors()
    {
        using var dir = new TempDirectory();
        dir.Write("a.conf", "include \"b.conf\"");
        dir.Write("b.conf", "include \"a.conf\"");
        Assert.Throws<ConfigException>(() => Config.ParseFile(Path.Combine(dir.Path, "a.conf")));
    }

    [Theory]
    [InlineData("include url(\"http://example.com/x.conf\")")]
    [InlineData("include classpath(\"x.conf\")")]
    [InlineData("include file(\"x.conf\"")]
    [InlineData("include bogus(\"x.conf\")")]
    [InlineData("include \"a\" \"b\"")]
    public void UnsupportedOrMalformedIncludesAreErrors(string text)
    {
        Assert.Throws<ConfigException>(() => Config.ParseString(text));
    }

    [Fact]
    public void KeyNamedIncludeIsStillAField()
    {
        var config = Config.ParseString("include = 1\nx { include { y = 2 } }");
        Assert.Equal(1, config.GetInt("include"));
        Assert.Equal(2, config.GetInt("x.include.y"));
    }
}
