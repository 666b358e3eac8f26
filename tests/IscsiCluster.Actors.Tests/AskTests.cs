namespace IscsiCluster.Actors.Tests;

public sealed class AskTests : TestKit.TestKit
{
    [Fact]
    public async Task AskCompletesWithTheReply()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));

        var reply = await echo.Ask<string>("hello", Dilated(TimeSpan.FromSeconds(3)));

        Assert.Equal("hello", reply);
    }

    [Fact]
    public async Task AskThrowsAskTimeoutExceptionWhenNoReplyArrives()
    {
        var silent = Sys.ActorOf(Props.Create(() => new CounterActor(null)));

        await Assert.ThrowsAsync<AskTimeoutException>(() => silent.Ask<int>("inc", TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task AskFaultsWithTheCauseOfAStatusFailureReply()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(
            () => echo.Ask<string>(new Status.Failure(new InvalidOperationException("no disk")), Dilated(TimeSpan.FromSeconds(3))));

        Assert.Equal("no disk", ex.Message);
    }

    [Fact]
    public async Task AskFaultsWithInvalidCastWhenTheReplyHasAnotherType()
    {
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));

        await Assert.ThrowsAsync<InvalidCastException>(() => echo.Ask<int>("not a number", Dilated(TimeSpan.FromSeconds(3))));
    }

    [Fact]
    public async Task AskIsCancelledByItsToken()
    {
        var silent = Sys.ActorOf(Props.Create(() => new CounterActor(null)));
        using var cancellation = new CancellationTokenSource();

        var ask = silent.Ask<int>("inc", Timeout.InfiniteTimeSpan, cancellation.Token);
        await cancellation.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ask);
    }

    [Fact]
    public async Task ForwardKeepsTheOriginalSender()
    {
        var relay = Sys.ActorOf(Props.Create(() => new ForwardingActor(TestActor)));
        var probe = CreateTestProbe();

        probe.Send(relay, "hello");

        await ExpectMsgAsync("hello");
        Assert.Equal(probe.Ref, LastSender);
    }

    [Fact]
    public async Task PipeToDeliversTheResult()
    {
        await Task.FromResult(42).PipeTo(TestActor);

        Assert.Equal(42, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task PipeToDeliversAFailureAsStatusFailure()
    {
        await Task.FromException<int>(new InvalidOperationException("bad")).PipeTo(TestActor);

        await ExpectMsgAsync<Status.Failure>(failure => failure.Cause is InvalidOperationException { Message: "bad" });
    }

    [Fact]
    public async Task PipeToAppliesTheSuccessAndFailureMappings()
    {
        await Task.FromResult(2).PipeTo(TestActor, success: value => $"got {value}");
        await Task.FromException<int>(new InvalidOperationException("bad")).PipeTo(TestActor, failure: ex => $"failed {ex.Message}");

        await ExpectMsgAsync("got 2");
        await ExpectMsgAsync("failed bad");
    }

    private sealed class ForwardingActor : ReceiveActor
    {
        public ForwardingActor(IActorRef target)
        {
            ReceiveAny(target.Forward);
        }
    }
}
