using IscsiCluster.Admin.TargetsConf;

namespace IscsiCluster.Admin.Tests.TargetsConf;

public class TargetsConfParserTests
{
    private static TargetsConfDocument Parse(string text)
    {
        Assert.True(TargetsConfParser.TryParse(text, out var document, out var error), error);
        return document;
    }

    [Fact]
    public void GlobalsTargetsStoresAndCommentsAreRead()
    {
        var document = Parse("""
            default-driver iscsi   # trailing comment
            <target iqn.2024-01.x:a>
                backing-store /dev/sdb
                <backing-store "/srv/with space.img">
                    lun 4
                </backing-store>
                incominguser u p
            </target>
            """);

        Assert.Equal([new ConfDirective("default-driver", "iscsi", 1)], document.Globals);
        var target = Assert.Single(document.Targets);
        Assert.Equal("iqn.2024-01.x:a", target.Name);
        Assert.Equal(["/dev/sdb", "/srv/with space.img"], target.Stores.Select(s => s.Path));
        Assert.Equal("4", Assert.Single(target.Stores[1].Directives).Value);
        Assert.Equal(new ConfDirective("incominguser", "u p", 7), Assert.Single(target.Directives));
    }

    [Theory]
    [InlineData("<target iqn.x:a>\n", "line 1: <target iqn.x:a> is not closed")]
    [InlineData("</target>\n", "line 1: unexpected </target>")]
    [InlineData("<target>\n</target>\n", "line 1: <target> needs a target name")]
    [InlineData("<target iqn.x:a>\n<target iqn.x:b>\n", "line 2: <target> is not allowed here")]
    [InlineData("<backing-store /x>\n", "line 1: <backing-store> is not allowed here")]
    [InlineData("<target iqn.x:a\n", "line 1: a block opening must end with '>'")]
    [InlineData("<target iqn.x:a>\n<backing-store /x>\n</target>\n", "line 3: unexpected </target>")]
    public void BrokenFilesNameTheLine(string text, string expected)
    {
        Assert.False(TargetsConfParser.TryParse(text, out _, out var error));
        Assert.Equal(expected, error);
    }
}
