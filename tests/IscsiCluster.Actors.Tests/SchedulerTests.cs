namespace IscsiCluster.Actors.Tests;

public sealed class SchedulerTests : TestKit.TestKit
{
    [Fact]
    public async Task ScheduleTellOnceDeliversOneMessage()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(50), TestActor, "tick", null);

        await ExpectMsgAsync("tick");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ACancelledTellOnceIsNeverDelivered()
    {
        var scheduled = Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromMilliseconds(200), TestActor, "tick", null);

        scheduled.Cancel();

        Assert.True(scheduled.IsCancellationRequested);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(400));
    }

    [Fact]
    public async Task ScheduleTellRepeatedlyKeepsDeliveringUntilCancelled()
    {
        var counter = Sys.ActorOf(Props.Create(() => new CounterActor(null)));
        var scheduled = Sys.Scheduler.ScheduleTellRepeatedly(TimeSpan.Zero, TimeSpan.FromMilliseconds(20), counter, "inc", null);

        var count = 0;
        while (count < 3)
        {
            await Task.Delay(20);
            count = await counter.Ask<int>("get", Dilated(TimeSpan.FromSeconds(3)));
        }

        scheduled.Cancel();
        var afterCancel = await counter.Ask<int>("get", Dilated(TimeSpan.FromSeconds(3)));
        await Task.Delay(200);

        Assert.Equal(afterCancel, await counter.Ask<int>("get", Dilated(TimeSpan.FromSeconds(3))));
    }

    [Fact]
    public async Task AScheduledTellCarriesTheGivenSender()
    {
        var sender = CreateTestProbe();

        Sys.Scheduler.ScheduleTellOnce(TimeSpan.Zero, TestActor, "tick", sender);

        await ExpectMsgAsync("tick");
        Assert.Equal(sender.Ref, LastSender);
    }
}
