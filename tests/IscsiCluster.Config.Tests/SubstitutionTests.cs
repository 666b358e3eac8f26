namespace IscsiCluster.Config.Tests;

public class SubstitutionTests
{
    [Fact]
    public void SubstitutionCopiesAValueFromAnywhereInTheDocument()
    {
        var config = Config.ParseString("a = ${b.c}\nb { c = 42 }");
        Assert.Equal(42, config.GetInt("a"));
    }

    [Fact]
    public void SubstitutionSeesTheFinalValueOfItsTarget()
    {
        var config = Config.ParseString("b = 1\na = ${b}\nb = 2");
        Assert.Equal(2, config.GetInt("a"));
    }

    [Fact]
    public void SubstitutionCopiesWholeObjects()
    {
        var config = Config.ParseString("defaults { port = 3260, host = x }\nportal = ${defaults}");
        Assert.Equal(3260, config.GetInt("portal.port"));
        Assert.Equal("x", config.GetString("portal.host"));
    }

    [Fact]
    public void FieldMayReferToASiblingInsideTheObjectHoldingIt()
    {
        var config = Config.ParseString("bar { foo = 42, baz = ${bar.foo} }");
        Assert.Equal(42, config.GetInt("bar.baz"));
    }

    [Fact]
    public void MissingRequiredSubstitutionNamesItAndTheKey()
    {
        var config = Config.ParseString("a = 1\nb = ${nope.nothing}", "app.conf");
        var error = Assert.Throws<ConfigException>(() => config.GetInt("a"));
        Assert.Equal("app.conf", error.Origin);
        Assert.Equal(2, error.Line);
        Assert.Equal("b", error.Path);
        Assert.Contains("${nope.nothing}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveReportsSubstitutionErrorsEagerly()
    {
        var config = Config.ParseString("b = ${missing}");
        Assert.Throws<ConfigException>(() => config.Resolve());
    }

    [Fact]
    public void MissingOptionalSubstitutionRemovesTheField()
    {
        var config = Config.ParseString("a = ${?nope}\nb = 1");
        Assert.False(config.HasPath("a"));
        Assert.Equal(["b"], config.GetKeys());
    }

    [Fact]
    public void MissingOptionalSubstitutionLeavesAnEarlierValueInPlace()
    {
        var config = Config.ParseString("a = 1\na = ${?nope}");
        Assert.Equal(1, config.GetInt("a"));
    }

    [Fact]
    public void MissingOptionalSubstitutionInAListDropsTheElement()
    {
        Assert.Equal(["1", "2"], Config.ParseString("a = [1, ${?nope}, 2]").GetStringList("a"));
    }

    [Fact]
    public void SubstitutionFallsBackToTheEnvironment()
    {
        var name = $"ISCSICLUSTER_CONFIG_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Assert.Equal("from-env", Config.ParseString($"a = ${{?{name}}}").GetString("a"));
            Assert.Equal("from-env", Config.ParseString($"a = ${{{name}}}").GetString("a"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void DocumentValueWinsOverTheEnvironment()
    {
        var name = $"ISCSICLUSTER_CONFIG_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            Assert.Equal("from-doc", Config.ParseString($"{name} = from-doc\na = ${{{name}}}").GetString("a"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void OptionalEnvironmentOverrideReplacesADefaultOnlyWhenSet()
    {
        var name = $"ISCSICLUSTER_CONFIG_TEST_{Guid.NewGuid():N}";
        var text = $"port = 3260\nport = ${{?{name}}}";
        Assert.Equal(3260, Config.ParseString(text).GetInt("port"));
        Environment.SetEnvironmentVariable(name, "3261");
        try
        {
            Assert.Equal(3261, Config.ParseString(text).GetInt("port"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void SelfReferenceWithoutAnEarlierValueFallsBackToTheEnvironment()
    {
        var name = $"ISCSICLUSTER_CONFIG_TEST_{Guid.NewGuid():N}";
        Environment.SetEnvironmentVariable(name, "/bin");
        try
        {
            Assert.Equal("/bin:/usr/bin", Config.ParseString($"{name} = ${{?{name}}}\":/usr/bin\"").GetString(name));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Theory]
    [InlineData("a = ${b}\nb = ${a}")]
    [InlineData("a = ${a}")]
    [InlineData("bar { foo = 42, baz = ${bar} }")]
    [InlineData("a = ${b.c}\nb { c = ${a} }")]
    [InlineData("a = [${a}]\nb = 1")]
    public void CyclesAreErrorsNotStackOverflows(string text)
    {
        var config = Config.ParseString(text, "cycle.conf");
        var error = Assert.Throws<ConfigException>(() => config.Resolve());
        Assert.Equal("cycle.conf", error.Origin);
    }

    [Fact]
    public void LongSubstitutionChainIsAnErrorNotAStackOverflow()
    {
        var text = string.Join('\n', Enumerable.Range(0, 5000).Select(i => $"k{i} = ${{k{i + 1}}}")) + "\nk5000 = 1";
        var config = Config.ParseString(text);
        Assert.Throws<ConfigException>(() => config.Resolve());
    }

    [Fact]
    public void ModerateSubstitutionChainResolves()
    {
        var text = string.Join('\n', Enumerable.Range(0, 50).Select(i => $"k{i} = ${{k{i + 1}}}")) + "\nk50 = 1";
        Assert.Equal(1, Config.ParseString(text).GetInt("k0"));
    }

    [Fact]
    public void SelfReferenceAppendsToTheEarlierValue()
    {
        var config = Config.ParseString("path = [a]\npath = ${path} [b]\npath = ${path} [c]");
        Assert.Equal(["a", "b", "c"], config.GetStringList("path"));
    }

    [Fact]
    public void SelfReferenceConcatenatesStrings()
    {
        var config = Config.ParseString("path = \"/bin\"\npath = ${path}\":/usr/bin\"");
        Assert.Equal("/bin:/usr/bin", config.GetString("path"));
    }

    [Fact]
    public void SelfReferenceInsideANestedObjectFindsTheEarlierValue()
    {
        var config = Config.ParseString("a { list = [1] }\na { list = ${a.list} [2] }");
        Assert.Equal(["1", "2"], config.GetStringList("a.list"));
    }

    [Fact]
    public void SelfReferenceWithoutAnEarlierValueIsMissing()
    {
        Assert.Throws<ConfigException>(() => Config.ParseString("a = ${a} [1]").Resolve());
        Assert.Equal(["1"], Config.ParseString("a = ${?a} [1]").GetStringList("a"));
    }

    [Fact]
    public void PlusEqualsAppendsToAList()
    {
        var config = Config.ParseString("a = [1]\na += 2\na += 3\nb += x");
        Assert.Equal(["1", "2", "3"], config.GetStringList("a"));
        Assert.Equal(["x"], config.GetStringList("b"));
    }

    [Fact]
    public void PlusEqualsInsideAnObjectInAListIsAnError()
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString("a = [\n{ b += 1 }\n]"));
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void PlusEqualsOnANonListIsAnError()
    {
        Assert.Throws<ConfigException>(() => Config.ParseString("a = 1\na += 2").Resolve());
    }

    [Fact]
    public void SubstitutionPathsMayBeQuoted()
    {
        Assert.Equal(1, Config.ParseString("\"x.y\" = 1\na = ${\"x.y\"}").GetInt("a"));
    }

    [Theory]
    [InlineData("a = ${}")]
    [InlineData("a = ${b..c}")]
    [InlineData("a = ${b")]
    public void MalformedSubstitutionsAreSyntaxErrors(string text)
    {
        Assert.Throws<ConfigException>(() => Config.ParseString(text));
    }
}
