namespace IscsiCluster.Config.Tests;

public class MergingTests
{
    [Fact]
    public void RepeatedObjectKeysMergeTheirFields()
    {
        var config = Config.ParseString("a { x = 1, y = 2 }\na { y = 3, z = 4 }");
        Assert.Equal([1, 3, 4], new[] { "a.x", "a.y", "a.z" }.Select(config.GetInt));
        Assert.Equal(["x", "y", "z"], config.GetConfig("a").GetKeys());
    }

    [Fact]
    public void DottedKeyMergesIntoAnEarlierObject()
    {
        var config = Config.ParseString("a { x = 1 }\na.y = 2");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void NonObjectValueOverridesAnEarlierObject()
    {
        var config = Config.ParseString("a { x = 1 }\na = 5");
        Assert.Equal(5, config.GetInt("a"));
    }

    [Fact]
    public void ObjectAfterANonObjectValueReplacesIt()
    {
        var config = Config.ParseString("a = 5\na { x = 1 }");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(["x"], config.GetConfig("a").GetKeys());
    }

    [Fact]
    public void ObjectOverriddenThenRedefinedDoesNotMergeWithTheHiddenObject()
    {
        var config = Config.ParseString("a { x = 1 }\na = null\na { y = 2 }");
        Assert.False(config.HasPath("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void LaterScalarWins()
    {
        Assert.Equal("second", Config.ParseString("a = first\na = second").GetString("a"));
    }

    [Fact]
    public void ListsDoNotMergeTheyOverride()
    {
        Assert.Equal(["3"], Config.ParseString("a = [1, 2]\na = [3]").GetStringList("a"));
    }

    [Fact]
    public void KeysKeepTheOrderTheyFirstAppeared()
    {
        Assert.Equal(["b", "a", "c"], Config.ParseString("b = 1\na = 2\nb = 3\nc = 4").GetKeys());
    }

    [Fact]
    public void ObjectMergesWithASubstitutionThatResolvesToAnObject()
    {
        var config = Config.ParseString("base { x = 1, y = 1 }\na = ${base}\na { y = 2 }");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void SubstitutionResolvingToAnObjectMergesOverAnEarlierObject()
    {
        var config = Config.ParseString("over { y = 2 }\na { x = 1, y = 1 }\na = ${over}");
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
    }

    [Fact]
    public void SubstitutionResolvingToAScalarOverridesAnEarlierObject()
    {
        var config = Config.ParseString("n = 7\na { x = 1 }\na = ${n}");
        Assert.Equal(7, config.GetInt("a"));
    }
}
