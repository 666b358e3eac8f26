using IscsiCluster.Admin.Contracts.Editing;

namespace IscsiCluster.Admin.Tests.Editing;

public class SizeTextTests
{
    [Theory]
    [InlineData("4096", 4096L)]
    [InlineData("10G", 10L << 30)]
    [InlineData("10g", 10L << 30)]
    [InlineData("512M", 512L << 20)]
    [InlineData("4k", 4096L)]
    [InlineData("1TiB", 1L << 40)]
    [InlineData("2GB", 2L << 30)]
    [InlineData("1P", 1L << 50)]
    [InlineData("100B", 100L)]
    public void SizesParseWithBinaryUnits(string text, long expected)
    {
        Assert.True(SizeText.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("-1G")]
    [InlineData("1.5G")]
    [InlineData("10X")]
    [InlineData("9999999999P")]
    public void BadSizesAreRefused(string? text) => Assert.False(SizeText.TryParse(text, out _));

    [Theory]
    [InlineData(2L << 30, "2 GiB")]
    [InlineData(1536L << 20, "1536 MiB")]
    [InlineData(4096L, "4 KiB")]
    [InlineData(3L << 40, "3 TiB")]
    [InlineData(1L << 50, "1 PiB")]
    [InlineData(1000L, "1000 bytes")]
    [InlineData(0L, "0 bytes")]
    public void SizesFormatExactlyInTheLargestUnitThatDividesThem(long bytes, string expected) => Assert.Equal(expected, SizeText.Format(bytes));
}
