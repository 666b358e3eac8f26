using System.Net;
using IscsiCluster.Iscsi.Sessions;
using IscsiCluster.Iscsi.Tests.Infrastructure;

namespace IscsiCluster.Iscsi.Tests;

public sealed class SessionChurnTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(60);
    private static readonly SessionLogSettings Settings = new(LoggedSessions: 4, Interval);
    private static readonly IPAddress Host = IPAddress.Parse("192.0.2.7");

    [Fact]
    public void AnInitiatorsFirstSessionsAreLoggedAndTheRestCountedUntilItsIntervalHasPassed()
    {
        var clock = new ManualClock();
        var churn = new SessionChurn(Settings, clock);

        var logged = Enumerable.Range(0, 300).Count(_ => churn.Opening("iqn.a", Host));
        for (var i = 0; i < 290; i++)
        {
            churn.QuietClosed("iqn.a", Host);
        }

        Assert.Equal(4, logged);
        Assert.Empty(churn.TakeSummaries());
        clock.Advance(Interval);
        var summary = Assert.Single(churn.TakeSummaries());
        Assert.Equal(("iqn.a", Host, 296L, 290L, Interval), (summary.Initiator, summary.Address, summary.Opened, summary.Closed, summary.Elapsed));
    }

    [Fact]
    public void AnInitiatorStaysQuietWhileItChurnsAndIsLoggedAgainAfterAQuietInterval()
    {
        var clock = new ManualClock();
        var churn = new SessionChurn(Settings, clock);
        for (var i = 0; i < 10; i++)
        {
            churn.Opening("iqn.a", Host);
        }

        clock.Advance(Interval);
        Assert.Equal(6, Assert.Single(churn.TakeSummaries()).Opened);

        // Still churning: the next interval has no logged sessions, only its summary.
        Assert.False(churn.Opening("iqn.a", Host));
        churn.QuietClosed("iqn.a", Host);
        clock.Advance(Interval);
        var next = Assert.Single(churn.TakeSummaries());
        Assert.Equal((1L, 1L), (next.Opened, next.Closed));

        // An interval without sessions forgets the initiator.
        clock.Advance(Interval);
        Assert.Empty(churn.TakeSummaries());
        Assert.Equal(0, churn.TrackedCount);
        Assert.True(churn.Opening("iqn.a", Host));
    }

    [Fact]
    public void InitiatorsAreCountedByNameAndAddressApart()
    {
        var churn = new SessionChurn(Settings with { LoggedSessions = 1 }, new ManualClock());

        Assert.True(churn.Opening("iqn.a", Host));
        Assert.True(churn.Opening("iqn.b", Host));
        Assert.True(churn.Opening("iqn.a", IPAddress.Parse("192.0.2.8")));
        Assert.False(churn.Opening("iqn.a", Host));
    }

    [Fact]
    public void WhenThePortalStopsEveryCountIsHandedOutWhateverItsInterval()
    {
        var churn = new SessionChurn(Settings with { LoggedSessions = 0 }, new ManualClock());
        Assert.False(churn.Opening("iqn.a", Host));
        Assert.False(churn.Opening("iqn.b", Host));

        Assert.Empty(churn.TakeSummaries());
        Assert.Equal(2, churn.TakeSummaries(all: true).Count);
    }

    [Fact]
    public void AClosedQuietSessionIsCountedInANewIntervalWhenItsOwnWasForgotten()
    {
        var clock = new ManualClock();
        var churn = new SessionChurn(Settings with { LoggedSessions = 0 }, clock);
        churn.Opening("iqn.a", Host);
        clock.Advance(Interval);
        churn.TakeSummaries();
        clock.Advance(Interval);
        churn.TakeSummaries();
        Assert.Equal(0, churn.TrackedCount);

        churn.QuietClosed("iqn.a", Host);
        clock.Advance(Interval);

        var summary = Assert.Single(churn.TakeSummaries());
        Assert.Equal((0L, 1L), (summary.Opened, summary.Closed));
    }
}
