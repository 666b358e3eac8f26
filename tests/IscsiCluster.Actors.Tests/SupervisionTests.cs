namespace IscsiCluster.Actors.Tests;

public sealed class SupervisionTests : TestKit.TestKit
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    [Fact]
    public async Task ResumeKeepsTheActorsState()
    {
        var child = await CreateSupervisedCounterAsync(new OneForOneStrategy(-1, Window, _ => Directive.Resume));

        child.Tell("inc");
        child.Tell("inc");
        child.Tell("boom");
        child.Tell("get", TestActor);

        Assert.Equal(2, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task RestartResetsTheStateAndKeepsProcessingLaterMessages()
    {
        var child = await CreateSupervisedCounterAsync(new OneForOneStrategy(-1, Window, _ => Directive.Restart));

        child.Tell("inc");
        child.Tell("inc");
        child.Tell("boom");
        child.Tell("inc");
        child.Tell("get", TestActor);

        Assert.Equal(1, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task TheDefaultStrategyRestartsATopLevelActor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new CounterActor(null)));

        actor.Tell("inc");
        actor.Tell("boom");
        actor.Tell("get", TestActor);

        Assert.Equal(0, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task StopDirectiveStopsTheChild()
    {
        var child = await CreateSupervisedCounterAsync(new OneForOneStrategy(-1, Window, _ => Directive.Stop));
        Watch(child);

        child.Tell("boom");

        await ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task EscalateHandsTheFailureToTheGrandparent()
    {
        var decisions = CreateTestProbe();
        var grandparentStrategy = new OneForOneStrategy(-1, Window, cause =>
        {
            decisions.Tell(cause.Message);
            return Directive.Stop;
        });
        var parentProps = Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(null)), TestActor, 1))
            .WithSupervisorStrategy(new OneForOneStrategy(-1, Window, _ => Directive.Escalate));
        var parentCreated = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ParentActor(parentProps, parentCreated, 1)).WithSupervisorStrategy(grandparentStrategy), "grandparent");
        var parent = (await parentCreated.ExpectMsgAsync<ChildCreated>()).Child;
        var child = (await ExpectMsgAsync<ChildCreated>()).Child;
        Watch(parent);

        child.Tell("boom");

        await decisions.ExpectMsgAsync("boom");
        await ExpectMsgAsync("stopped:child-1");
        await ExpectTerminatedAsync(parent);
    }

    [Fact]
    public async Task TheChildIsStoppedOnceItsRestartsAreUsedUp()
    {
        var lifecycle = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(lifecycle)), TestActor, 1))
            .WithSupervisorStrategy(new OneForOneStrategy(2, Window, _ => Directive.Restart)));
        var child = (await ExpectMsgAsync<ChildCreated>()).Child;
        lifecycle.Watch(child);

        child.Tell("boom");
        child.Tell("boom");
        child.Tell("boom");

        await lifecycle.ExpectMsgAsync("started:child-1");
        for (var restart = 0; restart < 2; restart++)
        {
            await lifecycle.ExpectMsgAsync("stopped:child-1");
            await lifecycle.ExpectMsgAsync("started:child-1");
        }

        await lifecycle.ExpectMsgAsync("stopped:child-1");
        await lifecycle.ExpectTerminatedAsync(child);
    }

    [Fact]
    public async Task RestartsOutsideTheWindowDoNotCountTowardsTheLimit()
    {
        var window = TimeSpan.FromMilliseconds(100);
        var lifecycle = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(lifecycle)), TestActor, 1))
            .WithSupervisorStrategy(new OneForOneStrategy(1, window, _ => Directive.Restart)));
        var child = (await ExpectMsgAsync<ChildCreated>()).Child;
        await lifecycle.ExpectMsgAsync("started:child-1");

        for (var failure = 0; failure < 3; failure++)
        {
            child.Tell("boom");
            await lifecycle.ExpectMsgAsync("stopped:child-1");
            await lifecycle.ExpectMsgAsync("started:child-1");
            await Task.Delay(window * 3);
        }

        child.Tell("get", TestActor);
        Assert.Equal(0, await ExpectMsgAsync<int>());
    }

    [Fact]
    public async Task AllForOneRestartsEverySibling()
    {
        var lifecycle = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(lifecycle)), TestActor, 2))
            .WithSupervisorStrategy(new AllForOneStrategy(-1, Window, _ => Directive.Restart)));
        var first = (await ExpectMsgAsync<ChildCreated>()).Child;
        await ExpectMsgAsync<ChildCreated>();
        var events = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            events.Add(await lifecycle.ExpectMsgAsync<string>());
        }

        first.Tell("boom");

        for (var i = 0; i < 4; i++)
        {
            events.Add(await lifecycle.ExpectMsgAsync<string>());
        }

        Assert.Equal(
            ["started:child-1", "started:child-1", "started:child-2", "started:child-2", "stopped:child-1", "stopped:child-2"],
            events.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task KillStopsTheActorThroughItsSupervisor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new CounterActor(null)));
        Watch(actor);

        actor.Tell(Kill.Instance);

        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task AFailingPreStartStopsTheActor()
    {
        var actor = Sys.ActorOf(Props.Create(() => new FailingStartActor()));
        Watch(actor);

        await ExpectTerminatedAsync(actor);
    }

    [Fact]
    public async Task RestartRunsPreRestartOnTheOldInstanceAndPostRestartOnTheNewOne()
    {
        var instances = 0;
        var actor = Sys.ActorOf(Props.Create(() => new HookActor(++instances, TestActor)));

        actor.Tell("boom");

        await ExpectMsgAsync("pre-restart 1 after boom");
        await ExpectMsgAsync("post-restart 2");
    }

    [Fact]
    public async Task AnActorCannotBeCreatedWithNew()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ConstructsAnotherActor(TestActor)));

        actor.Tell("try");

        var ex = await ExpectMsgAsync<Exception>();
        Assert.IsType<ActorInitializationException>(ex);
    }

    private async Task<IActorRef> CreateSupervisedCounterAsync(SupervisorStrategy strategy)
    {
        var childCreated = CreateTestProbe();
        Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(null)), childCreated, 1)).WithSupervisorStrategy(strategy));
        return (await childCreated.ExpectMsgAsync<ChildCreated>()).Child;
    }

    private sealed class FailingStartActor : ReceiveActor
    {
        protected override void PreStart() => throw new InvalidOperationException("cannot start");
    }

    private sealed class HookActor : ReceiveActor
    {
        private readonly int _instance;
        private readonly IActorRef _report;

        public HookActor(int instance, IActorRef report)
        {
            _instance = instance;
            _report = report;
            Receive<string>(_ => throw new InvalidOperationException("boom"));
        }

        protected override void PreRestart(Exception reason, object? message) => _report.Tell($"pre-restart {_instance} after {message}");

        protected override void PostRestart(Exception reason) => _report.Tell($"post-restart {_instance}");
    }

    private sealed class ConstructsAnotherActor : ReceiveActor
    {
        public ConstructsAnotherActor(IActorRef report)
        {
            Receive<string>(message =>
            {
                try
                {
                    _ = new EchoActor();
                }
                catch (ActorInitializationException ex)
                {
                    report.Tell(ex);
                }
            });
        }
    }
}
