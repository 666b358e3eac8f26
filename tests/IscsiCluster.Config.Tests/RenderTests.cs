namespace IscsiCluster.Config.Tests;

public class RenderTests
{
    private const string Document = """
        iscsi {
          portal { port = 3260, address = "0.0.0.0" }
          name = ${iscsi.portal.address}":"${iscsi.portal.port}
          "dotted.key" = "quote \" and \\ and\nnewline"
          flags = [true, false, null]
          targets = [ { iqn = a, luns = [0, 1] }, { iqn = b } ]
          empty {}
          ratio = 0.75
        }
        """;

    [Fact]
    public void RenderedTextParsesBackToTheSameValues()
    {
        var config = Config.ParseString(Document);
        var rendered = config.Render();
        var reparsed = Config.ParseString(rendered);
        Assert.Equal(rendered, reparsed.Render());
        Assert.Equal("0.0.0.0:3260", reparsed.GetString("iscsi.name"));
        Assert.Equal("quote \" and \\ and\nnewline", reparsed.GetString("iscsi.\"dotted.key\""));
        Assert.Equal(3260, reparsed.GetInt("iscsi.portal.port"));
        Assert.Equal(["a", "b"], reparsed.GetConfigList("iscsi.targets").Select(t => t.GetString("iqn")));
        Assert.Equal(0.75, reparsed.GetDouble("iscsi.ratio"));
    }

    [Fact]
    public void RenderShowsResolvedValuesNotSubstitutions()
    {
        var rendered = Config.ParseString("a = 1\nb = ${a}").ToString();
        Assert.DoesNotContain("${", rendered, StringComparison.Ordinal);
        Assert.Equal("a = 1\nb = 1\n", rendered);
    }

    [Fact]
    public void RenderQuotesStringsThatLookLikeOtherTypes()
    {
        var rendered = Config.ParseString("a = \"true\"\nb = \"12\"\nc = 12").Render();
        Assert.Equal("a = \"true\"\nb = \"12\"\nc = 12\n", rendered);
    }
}
