namespace IscsiCluster.Config.Tests;

public class DurationAndSizeTests
{
    public static TheoryData<string, TimeSpan> Durations => new()
    {
        { "10s", TimeSpan.FromSeconds(10) },
        { "250ms", TimeSpan.FromMilliseconds(250) },
        { "\"2 minutes\"", TimeSpan.FromMinutes(2) },
        { "1.5h", TimeSpan.FromMinutes(90) },
        { "3d", TimeSpan.FromDays(3) },
        { "1 day", TimeSpan.FromDays(1) },
        { "500us", TimeSpan.FromMicroseconds(500) },
        { "1000ns", TimeSpan.FromMicroseconds(1) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "30 seconds", TimeSpan.FromSeconds(30) },
        { "1500", TimeSpan.FromMilliseconds(1500) },
        { "\"100\"", TimeSpan.FromMilliseconds(100) },
    };

    public static TheoryData<string, long> Sizes => new()
    {
        { "4k", 4096 },
        { "4K", 4096 },
        { "64 MiB", 64L << 20 },
        { "1G", 1L << 30 },
        { "2Gi", 2L << 30 },
        { "1T", 1L << 40 },
        { "10kB", 10_000 },
        { "10KB", 10_000 },
        { "5MB", 5_000_000 },
        { "1 GB", 1_000_000_000 },
        { "512", 512 },
        { "512B", 512 },
        { "3 bytes", 3 },
        { "1.5K", 1536 },
        { "2 kibibytes", 2048 },
    };

    [Theory]
    [MemberData(nameof(Durations))]
    public void DurationsAcceptHoconUnits(string literal, TimeSpan expected)
    {
        Assert.Equal(expected, Config.ParseString($"t = {literal}").GetTimeSpan("t"));
    }

    [Theory]
    [InlineData("10 fortnights")]
    [InlineData("10S")]
    [InlineData("s")]
    [InlineData("[1]")]
    [InlineData("99999999999999999999d")]
    public void InvalidDurationsNameTheKeyAndLine(string literal)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString($"\n\nt = {literal}", "d.conf").GetTimeSpan("t"));
        Assert.Equal(3, error.Line);
        Assert.Equal("t", error.Path);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void SizesAcceptPowersOfTenAndTwo(string literal, long expected)
    {
        Assert.Equal(expected, Config.ParseString($"s = {literal}").GetByteSize("s"));
    }

    [Theory]
    [InlineData("10 parsecs")]
    [InlineData("1Kb")]
    [InlineData("100000E")]
    [InlineData("{}")]
    public void InvalidSizesNameTheKey(string literal)
    {
        var error = Assert.Throws<ConfigException>(() => Config.ParseString($"s = {literal}", "s.conf").GetByteSize("s"));
        Assert.Equal("s", error.Path);
        Assert.Equal("s.conf", error.Origin);
    }
}
