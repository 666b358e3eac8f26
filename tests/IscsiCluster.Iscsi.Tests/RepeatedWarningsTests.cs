using IscsiCluster.Iscsi.Tests.Infrastructure;

namespace IscsiCluster.Iscsi.Tests;

public sealed class RepeatedWarningsTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    [Fact]
    public void TheFirstOfAKindIsLoggedAndTheRestWithinTheIntervalAreCounted()
    {
        var clock = new ManualClock();
        var warnings = new RepeatedWarnings(Interval, clock);

        var logged = Enumerable.Range(0, 1000).Count(_ => warnings.ShouldLog("a", out long _, out TimeSpan _));

        Assert.Equal(1, logged);
        Assert.Equal([("a", 999L)], warnings.Drain().Select(entry => (entry.Kind, entry.Suppressed)));
        Assert.Empty(warnings.Drain());
    }

    [Fact]
    public void AfterTheIntervalTheNextOneIsLoggedWithTheCountOfThoseSwallowed()
    {
        var clock = new ManualClock();
        var warnings = new RepeatedWarnings(Interval, clock);
        warnings.ShouldLog("a", out _, out _);
        for (var i = 0; i < 41; i++)
        {
            warnings.ShouldLog("a", out _, out _);
        }

        clock.Advance(Interval);
        var logged = warnings.ShouldLog("a", out var suppressed, out var since);

        Assert.True(logged);
        Assert.Equal(41, suppressed);
        Assert.Equal(Interval, since);
        Assert.Empty(warnings.Drain());
    }

    [Fact]
    public void KindsAreCountedApart()
    {
        var warnings = new RepeatedWarnings(Interval, new ManualClock());

        Assert.True(warnings.ShouldLog("a", out _, out _));
        Assert.True(warnings.ShouldLog("b", out _, out _));
        Assert.False(warnings.ShouldLog("a", out _, out _));
        Assert.False(warnings.ShouldLog("b", out _, out _));
        Assert.False(warnings.ShouldLog("b", out _, out _));

        Assert.Equal([("a", 1L), ("b", 2L)], warnings.Drain().Select(entry => (entry.Kind, entry.Suppressed)).OrderBy(entry => entry.Kind));
    }
}
