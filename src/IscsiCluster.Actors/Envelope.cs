namespace IscsiCluster.Actors;

/// <summary>A user message and its sender as they sit in a mailbox; a struct so a Tell allocates nothing itself.</summary>
internal readonly struct Envelope(object message, IActorRef sender)
{
    public object Message { get; } = message;

    public IActorRef Sender { get; } = sender;
}
