using System.Threading.Channels;

namespace IscsiCluster.Actors.TestKit;

/// <summary>The actor behind a <see cref="TestProbe"/>: queues everything it receives, except its own watch commands.</summary>
internal sealed class ProbeActor(ChannelWriter<ReceivedMessage> received) : ActorBase
{
    // "protected internal" only because this assembly sees the runtime's internals.
    protected internal override bool Receive(object message)
    {
        switch (message)
        {
            case WatchCommand watch:
                Context.Watch(watch.Subject);
                break;
            case UnwatchCommand unwatch:
                Context.Unwatch(unwatch.Subject);
                break;
            default:
                received.TryWrite(new ReceivedMessage(message, Sender));
                break;
        }

        return true;
    }
}

internal sealed record ReceivedMessage(object Message, IActorRef Sender);

internal sealed record WatchCommand(IActorRef Subject);

internal sealed record UnwatchCommand(IActorRef Subject);
