namespace IscsiCluster.Actors.Tests;

public sealed class ActorSystemTests : TestKit.TestKit
{
    [Fact]
    public async Task TerminateRunsPostStopOfEveryActorAndCompletesWhenTerminated()
    {
        var lifecycle = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(lifecycle)), TestActor, 2)), "parent");
        Sys.ActorOf(Props.Create(() => new CounterActor(lifecycle)), "single");
        var started = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            started.Add(await lifecycle.ExpectMsgAsync<string>());
        }

        await Sys.Terminate();

        var stopped = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            stopped.Add(await lifecycle.ExpectMsgAsync<string>());
        }

        Assert.Equal(["stopped:child-1", "stopped:child-2", "stopped:single"], stopped.Order(StringComparer.Ordinal));
        await ExpectMsgAsync<ChildCreated>();
        await ExpectMsgAsync<ChildCreated>();
        await ExpectMsgAsync("stopped:parent");
        Assert.True(Sys.WhenTerminated.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task DisposeTerminatesTheSystem()
    {
        var system = ActorSystem.Create("disposed");

        await system.DisposeAsync();

        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
        Assert.Throws<InvalidOperationException>(() => system.ActorOf(Props.Create(() => new EchoActor())));
    }

    [Fact]
    public async Task AMessageToAStoppedActorIsPublishedAsADeadLetter()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));
        var echo = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Watch(echo);
        Sys.Stop(echo);
        await ExpectTerminatedAsync(echo);

        echo.Tell("anyone?", TestActor);

        var letter = await deadLetters.ExpectMsgAsync<DeadLetter>(letter => letter.Message is "anyone?");
        Assert.Equal(echo, letter.Recipient);
        Assert.Equal(TestActor, letter.Sender);
    }

    [Fact]
    public async Task AnUnhandledMessageIsPublishedAsUnhandled()
    {
        var unhandled = CreateTestProbe();
        Sys.EventStream.Subscribe(unhandled, typeof(AllDeadLetters));
        var counter = Sys.ActorOf(Props.Create(() => new CounterActor(null)));

        counter.Tell(3.14, TestActor);

        var message = await unhandled.ExpectMsgAsync<UnhandledMessage>();
        Assert.Equal(3.14, message.Message);
        Assert.Equal(counter, message.Recipient);
    }

    [Fact]
    public async Task TellingTheDeadLettersRefPublishesADeadLetter()
    {
        var deadLetters = CreateTestProbe();
        Sys.EventStream.Subscribe(deadLetters, typeof(DeadLetter));

        Sys.DeadLetters.Tell("lost", TestActor);

        await deadLetters.ExpectMsgAsync<DeadLetter>(letter => letter.Message is "lost");
    }
}
