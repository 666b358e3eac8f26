namespace IscsiCluster.Actors.Tests;

[Collection(TimingSensitiveCollection.Name)]
public sealed class MailboxTests : TestKit.TestKit
{
    private const int Senders = 8;
    private const int MessagesPerSender = 5_000;

    [Fact]
    public async Task MessagesFromOneSenderAreHandledInTheOrderTheyWereSent()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SequenceCheckActor()));

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(sender => Task.Run(() =>
        {
            for (var sequence = 0; sequence < MessagesPerSender; sequence++)
            {
                actor.Tell(new Sequenced(sender, sequence));
            }
        })));

        var report = await actor.Ask<Report>("report", Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(Senders * MessagesPerSender, report.Handled);
        Assert.Equal(0, report.Violations);
    }

    [Fact]
    public async Task HandlersNeverRunConcurrentlyUnderLoadFromManyThreads()
    {
        var actor = Sys.ActorOf(Props.Create(() => new OverlapDetectingActor()));

        await Task.WhenAll(Enumerable.Range(0, Senders).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < MessagesPerSender / 10; i++)
            {
                actor.Tell("work");
            }
        })));

        var report = await actor.Ask<Report>("report", Dilated(TimeSpan.FromSeconds(10)));
        Assert.Equal(Senders * MessagesPerSender / 10, report.Handled);
        Assert.Equal(0, report.Violations);
    }

    [Fact]
    public async Task ATellInsideAHandlerCarriesSelfAsTheImplicitSender()
    {
        var actor = Sys.ActorOf(Props.Create(() => new RelayActor(TestActor)));

        actor.Tell("hello");

        await ExpectMsgAsync("hello");
        Assert.Equal(actor, LastSender);
    }

    [Fact]
    public async Task ATellFromOutsideAnyActorHasDeadLettersAsSender()
    {
        var actor = Sys.ActorOf(Props.Create(() => new SenderReportingActor(TestActor)));

        actor.Tell("who");

        Assert.Equal(Sys.DeadLetters, await ExpectMsgAsync<IActorRef>());
    }

    private sealed record Sequenced(int Sender, int Sequence);

    private sealed record Report(int Handled, int Violations);

    private sealed class SequenceCheckActor : ReceiveActor
    {
        private readonly Dictionary<int, int> _last = [];
        private int _handled;
        private int _violations;

        public SequenceCheckActor()
        {
            Receive<Sequenced>(message =>
            {
                var expected = _last.TryGetValue(message.Sender, out var last) ? last + 1 : 0;
                if (message.Sequence != expected)
                {
                    _violations++;
                }

                _last[message.Sender] = message.Sequence;
                _handled++;
            });
            Receive<string>(_ => Sender.Tell(new Report(_handled, _violations)));
        }
    }

    private sealed class OverlapDetectingActor : ReceiveActor
    {
        private int _inFlight;
        private int _handled;
        private int _overlaps;

        public OverlapDetectingActor()
        {
            Receive<string>(
                _ =>
                {
                    if (Interlocked.Increment(ref _inFlight) != 1)
                    {
                        _overlaps++;
                    }

                    Thread.SpinWait(200);
                    _handled++;
                    Interlocked.Decrement(ref _inFlight);
                },
                message => message == "work");
            Receive<string>(_ => Sender.Tell(new Report(_handled, _overlaps)), message => message == "report");
        }
    }

    private sealed class RelayActor : ReceiveActor
    {
        public RelayActor(IActorRef target)
        {
            ReceiveAny(message => target.Tell(message));
        }
    }

    private sealed class SenderReportingActor : ReceiveActor
    {
        public SenderReportingActor(IActorRef report)
        {
            ReceiveAny(_ => report.Tell(Sender, ActorRefs.NoSender));
        }
    }
}
