namespace IscsiCluster.Actors.Tests;

public sealed class DeathWatchTests : TestKit.TestKit
{
    [Fact]
    public async Task AWatcherReceivesTerminatedExactlyOnce()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        Sys.ActorOf(Props.Create(() => new WatcherActor(target, TestActor)));
        await ExpectMsgAsync("watching");

        Sys.Stop(target);

        var terminated = await ExpectMsgAsync<Terminated>();
        Assert.Equal(target, terminated.ActorRef);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task WatchingAnAlreadyStoppedActorStillDeliversTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var probe = CreateTestProbe();
        probe.Watch(target);
        Sys.Stop(target);
        await probe.ExpectTerminatedAsync(target);

        Sys.ActorOf(Props.Create(() => new WatcherActor(target, TestActor)));

        await ExpectMsgAsync("watching");
        await ExpectTerminatedAsync(target);
    }

    [Fact]
    public async Task UnwatchPreventsTerminated()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new WatcherActor(target, TestActor)));
        await ExpectMsgAsync("watching");

        watcher.Tell("unwatch", TestActor);
        await ExpectMsgAsync("unwatched");
        Sys.Stop(target);

        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task AnUnhandledTerminatedStopsTheWatcherWithADeathPact()
    {
        var target = Sys.ActorOf(Props.Create(() => new EchoActor()));
        var watcher = Sys.ActorOf(Props.Create(() => new CarelessWatcherActor(target)));
        Watch(watcher);

        Sys.Stop(target);

        await ExpectTerminatedAsync(watcher);
    }

    [Fact]
    public async Task StoppingAParentStopsItsChildrenBeforeIt()
    {
        var parent = Sys.ActorOf(Props.Create(() => new ParentActor(Props.Create(() => new CounterActor(TestActor)), TestActor, 1)), "parent");
        var child = (await ExpectMsgAsync<ChildCreated>()).Child;
        await ExpectMsgAsync("started:child-1");
        var watcher = CreateTestProbe();
        watcher.Watch(child);

        Sys.Stop(parent);

        await ExpectMsgAsync("stopped:child-1");
        await ExpectMsgAsync("stopped:parent");
        await watcher.ExpectTerminatedAsync(child);
    }

    private sealed class WatcherActor : ReceiveActor
    {
        private readonly IActorRef _target;
        private readonly IActorRef _report;

        public WatcherActor(IActorRef target, IActorRef report)
        {
            _target = target;
            _report = report;
            Receive<Terminated>(terminated => report.Tell(terminated));
            Receive<string>(
                _ =>
                {
                    Context.Unwatch(target);
                    Sender.Tell("unwatched");
                },
                message => message == "unwatch");
        }

        protected override void PreStart()
        {
            Context.Watch(_target);
            Context.Watch(_target);
            _report.Tell("watching");
        }
    }

    private sealed class CarelessWatcherActor : ReceiveActor
    {
        private readonly IActorRef _target;

        public CarelessWatcherActor(IActorRef target)
        {
            _target = target;
            Receive<string>(_ => { });
        }

        protected override void PreStart() => Context.Watch(_target);
    }
}
