namespace IscsiCluster.Config.Tests;

public class ParsingTests
{
    [Theory]
    [InlineData("a = 1")]
    [InlineData("a : 1")]
    [InlineData("a=1")]
    [InlineData("{ a = 1 }")]
    [InlineData("\"a\" : 1")]
    public void EqualsAndColonBothSeparateKeyFromValue(string text)
    {
        Assert.Equal(1, Config.ParseString(text).GetInt("a"));
    }

    [Theory]
    [InlineData("a 1")]
    [InlineData("a")]
    [InlineData("a =")]
    [InlineData("= 1")]
    public void FieldWithoutSeparatorOrValueIsRejected(string text)
    {
        Assert.Throws<ConfigException>(() => Config.ParseString(text));
    }

    [Fact]
    public void BraceAfterKeyIsShorthandForAnObjectValue()
    {
        var config = Config.ParseString("server { port = 3260 }");
        Assert.Equal(3260, config.GetInt("server.port"));
    }

    [Fact]
    public void DottedKeysBuildNestedObjects()
    {
        var config = Config.ParseString("a.b.c = 1\na.b.d = 2");
        Assert.Equal(1, config.GetInt("a.b.c"));
        Assert.Equal(2, config.GetInt("a.b.d"));
        Assert.Equal(["c", "d"], config.GetConfig("a.b").GetKeys());
    }

    [Fact]
    public void QuotedKeySegmentsKeepTheirDots()
    {
        var config = Config.ParseString("a.\"b.c\".d = 1");
        Assert.Equal(1, config.GetInt("a.\"b.c\".d"));
        Assert.False(config.HasPath("a.b"));
    }

    [Theory]
    [InlineData("a..b = 1")]
    [InlineData(".a = 1")]
    [InlineData("a. = 1")]
    public void KeyWithAnEmptySegmentIsRejected(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString(text));
        Assert.Contains("empty segment", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FieldsMaySeparateByCommaOrNewlineAndTrailingCommaIsAllowed()
    {
        var config = Config.ParseString("a = 1, b = 2\nc = 3,\n");
        Assert.Equal(6, config.GetInt("a") + config.GetInt("b") + config.GetInt("c"));
    }

    [Fact]
    public void TwoCommasInARowAreRejected()
    {
        Assert.Throws<ConfigException>(() => Config.ParseString("a = 1,, b = 2"));
    }

    [Fact]
    public void TwoFieldsOnOneLineWithoutCommaAreRejected()
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString("a { x = 1 } b { y = 2 } c = d = 3"));
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void QuotedStringsDecodeJsonEscapes()
    {
        var config = Config.ParseString("a = \"tab\\there \\\"q\\\" \\u0041 \\\\\"");
        Assert.Equal("tab\there \"q\" A \\", config.GetString("a"));
    }

    [Theory]
    [InlineData("a = \"open")]
    [InlineData("a = \"bad \\x escape\"")]
    [InlineData("a = \"\\u12\"")]
    [InlineData("a = \"line\nbreak\"")]
    public void MalformedQuotedStringsAreRejectedWithTheirLine(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString(text, "t.conf"));
        Assert.Equal("t.conf", error.Origin);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void UnquotedStringsKeepInnerWhitespace()
    {
        Assert.Equal("hello big world", Config.ParseString("a = hello big   world".Replace("   ", " ", StringComparison.Ordinal)).GetString("a"));
    }

    [Fact]
    public void TripleQuotedStringsSpanLinesWithoutEscapes()
    {
        var config = Config.ParseString("a = \"\"\"line one\n  \\n \"quoted\"\"\"\"\nb = 2");
        Assert.Equal("line one\n  \\n \"quoted\"", config.GetString("a"));
    }

    [Fact]
    public void TripleQuotedStringMovesTheLineCountForLaterErrors()
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString("a = \"\"\"x\ny\nz\"\"\"\nb = ?"));
        Assert.Equal(4, error.Line);
    }

    [Fact]
    public void UnclosedTripleQuotedStringIsRejected()
    {
        Assert.Throws<ConfigException>(() => Config.ParseString("a = \"\"\"never closed"));
    }

    [Theory]
    [InlineData("a = 42", 42L)]
    [InlineData("a = -7", -7L)]
    [InlineData("a = 1e3", 1000L)]
    [InlineData("a = \"12\"", 12L)]
    public void NumbersParseFromNumericAndStringValues(string text, long expected)
    {
        Assert.Equal(expected, Config.ParseString(text).GetLong("a"));
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("1.2.3")]
    public void NonFiniteOrMalformedNumbersAreNotDoubles(string literal)
    {
        Assert.Throws<ConfigException>(() => Config.ParseString($"a = {literal}").GetDouble("a"));
    }

    [Fact]
    public void DecimalNumbersReadAsDoubles()
    {
        Assert.Equal(2.5, Config.ParseString("a = 2.5").GetDouble("a"));
        Assert.Equal(1.5e-3, Config.ParseString("a = 1.5e-3").GetDouble("a"));
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("yes", true)]
    [InlineData("no", false)]
    [InlineData("on", true)]
    [InlineData("off", false)]
    [InlineData("\"true\"", true)]
    public void BooleansAcceptTrueFalseYesNoOnOff(string literal, bool expected)
    {
        Assert.Equal(expected, Config.ParseString($"a = {literal}").GetBoolean("a"));
    }

    [Theory]
    [InlineData("maybe")]
    [InlineData("1")]
    [InlineData("[true]")]
    public void NonBooleansAreRejectedByGetBoolean(string literal)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString($"a = {literal}").GetBoolean("a"));
        Assert.Equal("a", error.Path);
    }

    [Fact]
    public void NullIsAValueButNotAPath()
    {
        var config = Config.ParseString("a = null");
        Assert.False(config.HasPath("a"));
        Assert.Equal(["a"], config.GetKeys());
        Assert.Equal("fallback", config.GetString("a", "fallback"));
        Assert.Throws<ConfigException>(() => config.GetString("a"));
    }

    [Fact]
    public void ListsSeparateByCommasOrNewlines()
    {
        var config = Config.ParseString("a = [1, 2,\n3\n4,]\nb = []");
        Assert.Equal(["1", "2", "3", "4"], config.GetStringList("a"));
        Assert.Empty(config.GetStringList("b"));
    }

    [Theory]
    [InlineData("a = [1, 2")]
    [InlineData("a = [1 2 ,, 3]")]
    [InlineData("a = [, 1]")]
    [InlineData("a = [1] ]")]
    public void MalformedListsAreRejected(string text)
    {
        Assert.Throws<ConfigException>(() => Config.ParseString(text));
    }

    [Fact]
    public void CommentsRunToTheEndOfTheLine()
    {
        var config = Config.ParseString("# hash comment\na = 1 // slash comment\n// b = 2\nc = \"not # a comment\"");
        Assert.Equal(1, config.GetInt("a"));
        Assert.False(config.HasPath("b"));
        Assert.Equal("not # a comment", config.GetString("c"));
    }

    [Fact]
    public void CommentWhereAValueBelongsLeavesTheFieldWithoutAValue()
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString("a = # no value\nb = 1"));
        Assert.Equal("a", error.Path);
    }

    [Fact]
    public void JsonDocumentsParse()
    {
        var config = Config.ParseString("{\"a\": {\"b\": [{\"c\": true}, {\"c\": false}]}, \"d\": null}");
        var items = config.GetConfigList("a.b");
        Assert.Equal([true, false], items.Select(i => i.GetBoolean("c")));
        Assert.False(config.HasPath("d"));
    }

    [Theory]
    [InlineData("a = 1\nb = 2\nc = {\n  d = ?\n}", 4)]
    [InlineData("a {\n  b = 1\n", 3)]
    [InlineData("\n\na = [\n1,\n", 5)]
    [InlineData("a = 1\n}", 2)]
    [InlineData("a = http://x", 1)]
    public void SyntaxErrorsNameTheOriginAndLine(string text, int line)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString(text, "node.conf"));
        Assert.Equal("node.conf", error.Origin);
        Assert.Equal(line, error.Line);
        Assert.StartsWith($"node.conf:{line}: ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iscsi {\n  portal.port = 1 : 2\n}")]
    [InlineData("iscsi {\n  portal.port = \"unclosed\n}")]
    [InlineData("iscsi {\n  portal.port = ${bad\n}")]
    [InlineData("iscsi {\n  portal.port = 1 ^ 2\n}")]
    [InlineData("iscsi {\n  portal.port = [1,, 2]\n}")]
    public void SyntaxErrorInsideAFieldNamesTheKeyPath(string text)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString(text, "single-node.conf"));
        Assert.Equal("iscsi.portal.port", error.Path);
        Assert.StartsWith("single-node.conf:2: key 'iscsi.portal.port': ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CarriageReturnsAndUnicodeSpacesAreWhitespace()
    {
        var config = Config.ParseString("\uFEFFa\u00A0=\u2003one\r\nb = 2\r\n");
        Assert.Equal("one", config.GetString("a"));
        var error = Assert.Throws<ConfigException>(() => Config.ParseString("a = 1\r\nb = 2\r\nc = ?\r\n"));
        Assert.Equal(3, error.Line);
    }

    [Fact]
    public void RootMustBeAnObject()
    {
        Assert.Throws<ConfigException>(() => Config.ParseString("[1, 2]"));
        Assert.Throws<ConfigException>(() => Config.ParseString("{ a = 1 } b = 2"));
    }

    [Fact]
    public void EmptyAndCommentOnlyDocumentsAreEmptyConfigs()
    {
        Assert.True(Config.ParseString(string.Empty).IsEmpty);
        Assert.True(Config.ParseString("# nothing\n\n").IsEmpty);
        Assert.True(Config.ParseString("{}").IsEmpty);
    }

    [Fact]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        var deep = "a = " + new string('[', 100_000);
        Assert.Throws<ConfigException>(() => Config.ParseString(deep));
        var dotted = string.Join('.', Enumerable.Repeat("k", 10_000)) + " = 1";
        Assert.Throws<ConfigException>(() => Config.ParseString(dotted));
    }

    [Fact]
    public void ParseFileNamesTheMissingFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}.conf");
        var error = Assert.Throws<ConfigException>(() => Config.ParseFile(path));
        Assert.Equal(path, error.Origin);
    }
}
