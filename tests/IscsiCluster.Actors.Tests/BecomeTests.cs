namespace IscsiCluster.Actors.Tests;

public sealed class BecomeTests : TestKit.TestKit
{
    [Fact]
    public async Task BecomeReplacesTheHandlers()
    {
        var actor = Sys.ActorOf(Props.Create(() => new MoodActor()));

        actor.Tell("mood", TestActor);
        actor.Tell("angry", TestActor);
        actor.Tell("mood", TestActor);

        await ExpectMsgAsync("happy");
        await ExpectMsgAsync("grr");
    }

    [Fact]
    public async Task UnbecomeStackedReturnsToThePreviousBehavior()
    {
        var actor = Sys.ActorOf(Props.Create(() => new MoodActor()));

        actor.Tell("sleepy", TestActor);
        actor.Tell("mood", TestActor);
        actor.Tell("wake", TestActor);
        actor.Tell("mood", TestActor);

        await ExpectMsgAsync("zzz");
        await ExpectMsgAsync("happy");
    }

    [Fact]
    public async Task AnUntypedActorBecomesThroughItsContext()
    {
        var actor = Sys.ActorOf(Props.Create(() => new ToggleActor()));

        actor.Tell("state", TestActor);
        actor.Tell("toggle", TestActor);
        actor.Tell("state", TestActor);

        await ExpectMsgAsync("off");
        await ExpectMsgAsync("on");
    }

    private sealed class MoodActor : ReceiveActor
    {
        public MoodActor()
        {
            Happy();
        }

        private void Happy()
        {
            Receive<string>(_ => Sender.Tell("happy"), message => message == "mood");
            Receive<string>(_ => Become(Angry), message => message == "angry");
            Receive<string>(_ => BecomeStacked(Sleepy), message => message == "sleepy");
        }

        private void Angry() => Receive<string>(_ => Sender.Tell("grr"), message => message == "mood");

        private void Sleepy()
        {
            Receive<string>(_ => Sender.Tell("zzz"), message => message == "mood");
            Receive<string>(_ => UnbecomeStacked(), message => message == "wake");
        }
    }

    private sealed class ToggleActor : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            switch (message)
            {
                case "state":
                    Sender.Tell("off");
                    break;
                case "toggle":
                    Context.Become(On);
                    break;
                default:
                    Unhandled(message);
                    break;
            }
        }

        private bool On(object message)
        {
            if (message is "state")
            {
                Sender.Tell("on");
                return true;
            }

            return false;
        }
    }
}
