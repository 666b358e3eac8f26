using Akka.Actor;
using IscsiCluster.Network;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// A command's hand-offs between the node's actors (session, LUN port, LUN, replica) stay on the thread that runs the
/// first of them: the dispatchers they run on batch what they are handed instead of waking another thread for it.
/// </summary>
public sealed class SameThreadExecutorTests : NodeTestKit
{
    [Theory]
    [InlineData("akka.actor.iscsi-session-dispatcher")]
    [InlineData("akka.actor.default-dispatcher")]
    public async Task AMessageFromALunActorRunsNextOnTheSameThread(string receiverDispatcher)
    {
        var receiver = Sys.ActorOf(Props.Create(() => new Reporter()).WithDispatcher(receiverDispatcher));
        var sender = Sys.ActorOf(Props.Create(() => new Forwarder(receiver)).WithDispatcher(LunDispatcher));

        for (var i = 0; i < 20; i++)
        {
            var hop = await sender.Ask<Hop>(Forwarder.Go, Dilated(TimeSpan.FromSeconds(5)));
            Assert.Equal(hop.SenderThread, hop.ReceiverThread);
            Assert.True(hop.ReceiverBatched, $"{receiverDispatcher} ran the message outside the sender's batch");
        }
    }

    [Fact]
    public async Task ManyMessagesAtOnceAllArrive()
    {
        var receiver = Sys.ActorOf(Props.Create(() => new Counter()).WithDispatcher(LunDispatcher));
        var senders = Enumerable.Range(0, 8)
            .Select(_ => Sys.ActorOf(Props.Create(() => new Repeater(receiver)).WithDispatcher(LunDispatcher)))
            .ToList();
        foreach (var sender in senders)
        {
            sender.Tell(500);
        }

        await AwaitAssertAsync(
            async () => Assert.Equal(8 * 500, await receiver.Ask<int>(Counter.Count, Dilated(TimeSpan.FromSeconds(5)))),
            Dilated(TimeSpan.FromSeconds(20)));
    }

    private sealed record Hop(int SenderThread, int ReceiverThread, bool ReceiverBatched);

    private sealed record Handed(int SenderThread, IActorRef ReplyTo);

    private sealed class Forwarder : ReceiveActor
    {
        public const string Go = "go";

        public Forwarder(IActorRef receiver) =>
            Receive<string>(_ => receiver.Tell(new Handed(Environment.CurrentManagedThreadId, Sender)));
    }

    private sealed class Reporter : ReceiveActor
    {
        public Reporter() =>
            Receive<Handed>(handed => handed.ReplyTo.Tell(new Hop(handed.SenderThread, Environment.CurrentManagedThreadId, ThreadBatch.IsRunning)));
    }

    private sealed class Repeater : ReceiveActor
    {
        public Repeater(IActorRef receiver) => Receive<int>(count =>
        {
            for (var i = 0; i < count; i++)
            {
                receiver.Tell(Counter.One);
            }
        });
    }

    private sealed class Counter : ReceiveActor
    {
        public const string Count = "count";
        public const string One = "one";
        private int _count;

        public Counter()
        {
            Receive<string>(message => message == One, _ => _count++);
            Receive<string>(message => message == Count, _ => Sender.Tell(_count));
        }
    }
}
