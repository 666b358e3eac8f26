namespace IscsiCluster.Actors.Tests;

public sealed class ReceiveAsyncTests : TestKit.TestKit
{
    [Fact]
    public async Task NoMessageIsHandledWhileAnAsyncHandlerAwaits()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(gate.Task, TestActor)));

        actor.Tell("slow");
        actor.Tell("fast");

        await ExpectMsgAsync("began slow");
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        gate.SetResult();
        await ExpectMsgAsync("ended slow");
        await ExpectMsgAsync("handled fast");
    }

    [Fact]
    public async Task SelfAndSenderStayCorrectAcrossAwaits()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = Sys.ActorOf(Props.Create(() => new GatedActor(gate.Task, TestActor)));
        var asker = CreateTestProbe();

        asker.Send(actor, "whoami");
        await ExpectMsgAsync("began whoami");
        actor.Tell("other", TestActor);
        gate.SetResult();

        Assert.Equal(actor, await asker.ExpectMsgAsync<IActorRef>());
        Assert.Equal(actor, asker.LastSender);
    }

    [Fact]
    public async Task ForwardAfterAnAwaitKeepsTheOriginalSender()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncForwardingActor(TestActor)));
        var origin = CreateTestProbe();

        origin.Send(actor, "hello");

        await ExpectMsgAsync("hello");
        Assert.Equal(origin.Ref, LastSender);
    }

    [Fact]
    public async Task AFaultedAsyncHandlerIsSupervised()
    {
        var actor = Sys.ActorOf(Props.Create(() => new AsyncFailingActor(TestActor)));
        await ExpectMsgAsync("started");

        actor.Tell("fail");

        await ExpectMsgAsync("started");
    }

    private sealed class GatedActor : ReceiveActor
    {
        public GatedActor(Task gate, IActorRef report)
        {
            ReceiveAsync<string>(
                async message =>
                {
                    report.Tell("began " + message);
                    await gate;
                    if (message == "whoami")
                    {
                        Sender.Tell(Self);
                    }
                    else
                    {
                        report.Tell("ended " + message);
                    }
                },
                message => message is "slow" or "whoami");
            Receive<string>(message => report.Tell("handled " + message));
        }
    }

    private sealed class AsyncForwardingActor : ReceiveActor
    {
        public AsyncForwardingActor(IActorRef target)
        {
            ReceiveAsync<string>(async message =>
            {
                await Task.Delay(10);
                target.Forward(message);
            });
        }
    }

    private sealed class AsyncFailingActor : ReceiveActor
    {
        private readonly IActorRef _report;

        public AsyncFailingActor(IActorRef report)
        {
            _report = report;
            ReceiveAsync<string>(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async boom");
            });
        }

        protected override void PreStart() => _report.Tell("started");
    }
}
