namespace IscsiCluster.Config.Tests;

public class ConcatenationTests
{
    [Fact]
    public void StringsAndSubstitutionsJoinWithTheirWhitespace()
    {
        var config = Config.ParseString("bar = middle\na = \"foo\" ${bar} \"baz\"\nb = foo${bar}baz");
        Assert.Equal("foo middle baz", config.GetString("a"));
        Assert.Equal("foomiddlebaz", config.GetString("b"));
    }

    [Fact]
    public void NumbersAndBooleansConcatenateAsText()
    {
        var config = Config.ParseString("a = 1 2 true\nn = 10\nb = ${n}s");
        Assert.Equal("1 2 true", config.GetString("a"));
        Assert.Equal(TimeSpan.FromSeconds(10), config.GetTimeSpan("b"));
    }

    [Fact]
    public void ListsConcatenate()
    {
        var config = Config.ParseString("x = [2]\na = [1] ${x} [3]");
        Assert.Equal(["1", "2", "3"], config.GetStringList("a"));
    }

    [Fact]
    public void ObjectsConcatenateByMerging()
    {
        var config = Config.ParseString("base { a = 1, b = 1 }\nc = ${base} { b = 2 }");
        Assert.Equal(1, config.GetInt("c.a"));
        Assert.Equal(2, config.GetInt("c.b"));
    }

    [Theory]
    [InlineData("x = [1]\na = ${x} foo")]
    [InlineData("x { y = 1 }\na = ${x} [1]")]
    [InlineData("x { y = 1 }\na = foo ${x}")]
    public void MixingKindsInAConcatenationIsAnError(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString(text, "mix.conf").Resolve());
        Assert.Equal(2, error.Line);
        Assert.Equal("a", error.Path);
    }

    [Fact]
    public void UndefinedOptionalPartsDropOutOfAConcatenation()
    {
        var config = Config.ParseString("a = ${?nope} foo\nb = ${?nope} ${?nada}");
        Assert.Equal("foo", config.GetString("a"));
        Assert.False(config.HasPath("b"));
    }
}
