namespace IscsiCluster.Actors;

/// <summary>The one ref of one actor incarnation; a Tell goes straight into its cell's mailbox.</summary>
internal sealed class LocalActorRef(ActorCell cell, ActorPath path) : ActorRefBase, IInternalActorRef
{
    public override ActorPath Path { get; } = path;

    internal ActorCell Cell { get; } = cell;

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        Cell.Post(new Envelope(message, sender ?? ActorCell.CurrentSelfOrNoSender()));
    }

    public void SendSystemMessage(SystemMessage message) => Cell.SendSystemMessage(message);
}
