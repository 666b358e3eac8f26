namespace IscsiCluster.Actors;

/// <summary>
/// A handle to an actor (or an actor-like endpoint such as an Ask reply slot). Refs are compared by identity:
/// two incarnations of the same path are different refs.
/// </summary>
public interface IActorRef : IEquatable<IActorRef>
{
    ActorPath Path { get; }

    /// <summary>
    /// Enqueues <paramref name="message"/> for the actor. A null <paramref name="sender"/> means "the actor whose
    /// handler is running on this thread, if any", like Akka.NET's implicit sender; pass
    /// <see cref="ActorRefs.NoSender"/> to send anonymously.
    /// </summary>
    void Tell(object message, IActorRef? sender = null);
}
