namespace IscsiCluster.Actors;

/// <summary>The system's dead-letter endpoint: what Sender is for anonymous messages.</summary>
internal sealed class DeadLetterActorRef(ActorSystem system) : ActorRefBase
{
    public override ActorPath Path { get; } = ActorPath.Root.Child("deadLetters");

    public override void Tell(object message, IActorRef? sender = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        system.PublishDeadLetter(message, sender ?? ActorCell.CurrentSelfOrNoSender(), this);
    }
}
