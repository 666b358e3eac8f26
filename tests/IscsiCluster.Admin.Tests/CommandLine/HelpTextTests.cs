using IscsiCluster.Admin.CommandLine;

namespace IscsiCluster.Admin.Tests.CommandLine;

public class HelpTextTests
{
    [Fact]
    public void HelpListsEveryOptionInBothForms()
    {
        var help = HelpText.Text();
        foreach (var option in Options.All)
        {
            Assert.Contains(option.Display, help, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("--mode target --op new")]
    [InlineData("--mode logicalunit --op update")]
    [InlineData("--params size=<N[K|M|G|T]> [--force]")]
    [InlineData("--mode account --op bind|unbind")]
    [InlineData("--mode conn --op delete")]
    [InlineData("--mode session --op show")]
    [InlineData("--op stat")]
    [InlineData("--dump")]
    [InlineData("--execute <file>")]
    public void HelpDescribesEveryModeAndCommand(string usage) => Assert.Contains(usage, HelpText.Text(), StringComparison.Ordinal);
}
