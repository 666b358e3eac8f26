namespace IscsiCluster.Actors.Tests;

[Collection(TimingSensitiveCollection.Name)]
public sealed class ReceiveTimeoutTests : TestKit.TestKit
{
    [Fact]
    public async Task ReceiveTimeoutArrivesAfterInactivity()
    {
        Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, TimeSpan.FromMilliseconds(100))));

        await ExpectMsgAsync<ReceiveTimeout>();
    }

    [Fact]
    public async Task EachOtherMessageResetsTheReceiveTimeout()
    {
        var timeout = Dilated(TimeSpan.FromSeconds(1));
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, timeout)));

        for (var i = 0; i < 15; i++)
        {
            actor.Tell("ping");
            await Task.Delay(timeout / 10);
        }

        await ExpectNoMsgAsync(TimeSpan.Zero);
        await ExpectMsgAsync<ReceiveTimeout>(timeout * 3);
    }

    [Fact]
    public async Task ANullReceiveTimeoutTurnsItOff()
    {
        var timeout = Dilated(TimeSpan.FromMilliseconds(500));
        var actor = Sys.ActorOf(Props.Create(() => new TimeoutActor(TestActor, timeout)));

        actor.Tell("off", TestActor);

        await ExpectMsgAsync("off");
        await ExpectNoMsgAsync(timeout * 2);
    }

    private sealed class TimeoutActor : ReceiveActor
    {
        private readonly TimeSpan _timeout;

        public TimeoutActor(IActorRef report, TimeSpan timeout)
        {
            _timeout = timeout;
            Receive<ReceiveTimeout>(message => report.Tell(message));
            Receive<string>(
                message =>
                {
                    Context.SetReceiveTimeout(null);
                    Sender.Tell(message);
                },
                message => message == "off");
            Receive<string>(_ => { });
        }

        protected override void PreStart() => Context.SetReceiveTimeout(_timeout);
    }
}
