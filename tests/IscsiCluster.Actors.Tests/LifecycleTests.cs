namespace IscsiCluster.Actors.Tests;

public sealed class LifecycleTests : TestKit.TestKit
{
    [Fact]
    public async Task PoisonPillStopsAfterEarlierMessagesAndLaterOnesBecomeDeadLetters()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(echo);

        echo.Tell("one", TestActor);
        echo.Tell(PoisonPill.Instance, TestActor);
        echo.Tell("two", TestActor);

        await ExpectMsgAsync("one");
        await ExpectTerminatedAsync(echo);
        var letter = await deadLetters.ExpectMsgAsync<DeadLetter>(letter => letter.Message is "two");
        Assert.Equal(echo, letter.Recipient);
    }

    [Fact]
    public async Task StopOvertakesQueuedUserMessages()
    {
        using var gate = new ManualResetEventSlim();
        var actor = Sys.ActorOf(Props.Create(() => new BlockingCounterActor(gate, TestActor)));
        actor.Tell("first");
        await ExpectMsgAsync("blocked");
        for (var i = 0; i < 100; i++)
        {
            actor.Tell("queued");
        }

        Sys.Stop(actor);
        gate.Set();

        Assert.Equal(1, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task ContextStopOfSelfStopsAfterTheCurrentMessage()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SelfStoppingActor(TestActor)));
        Watch(actor);

        actor.Tell("stop");

        await ExpectMsgAsync("still running");
        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task ChildPathsFollowTheHierarchy()
    {
        Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new EchoActor()), TestActor, 1)), "parent");

        var child = (await ExpectMsgAsync<ChildCreated>()).Child;

        Assert.Equal("/user/parent/child-1", child.Path.ToString());
        Assert.Equal("child-1", child.Path.Name);
    }

    [Fact]
    public void UnnamedActorsGetGeneratedNames()
    {
        var first = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var second = Sys.ActorOf(Props.Create(() => new EchoActor()));

        Assert.Equal("/user/$a", first.Path.ToString());
        Assert.Equal("/user/$b", second.Path.ToString());
    }

    [Fact]
    public void ASiblingNameCannotBeTakenTwice()
    {
        Sys.ActorOf(Props.Create(() => new EchoActor()), "twin");

        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()), "twin"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("$reserved")]
    public void InvalidActorNamesAreRejected(string name)
    {
        Assert.Throws<InvalidActorNameException>(() => Sys.ActorOf(Props.Create(() => new EchoActor()), name));
    }

    [Fact]
    public async Task ChildLooksUpALiveChildByNameAndOtherwiseReturnsNobody()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ChildLookupActor()));

        parent.Tell("child-1", TestActor);
        parent.Tell("missing", TestActor);

        Assert.NotEqual(ActorRefs.Nobody, await ExpectMsgAsync<IActorRef>());
        Assert.Equal(ActorRefs.Nobody, await ExpectMsgAsync<IActorRef>());
    }

    /// <summary>Blocks its first message on a gate, counts every message, and reports the count when stopped.</summary>
    private sealed class BlockingCounterActor : ReceiveActor
    {
        private readonly IActorRef _report;
        private int _handled;

        public BlockingCounterActor(ManualResetEventSlim gate, IActorRef report)
        {
            _report = report;
            Receive<string>(_ =>
            {
                if (_handled++ == 0)
                {
                    report.Tell("blocked");
                    gate.Wait();
                }
            });
        }

        protected override void PostStop() => _report.Tell(_handled);
    }

    private sealed class SelfStoppingActor : ReceiveActor
    {
        public SelfStoppingActor(IActorRef report)
        {
            Receive<string>(_ =>
            {
                Context.Stop(Self);
                report.Tell("still running");
            });
        }
    }

    private sealed class ChildLookupActor : ReceiveActor
    {
        public ChildLookupActor()
        {
            Receive<string>(name => Sender.Tell(Context.Child(name)));
        }

        protected override void PreStart() => Context.ActorOf(Props.Create(() => new EchoActor()), "child-1");
    }
}
