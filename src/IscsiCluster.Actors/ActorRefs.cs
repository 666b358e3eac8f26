namespace IscsiCluster.Actors;

/// <summary>Well-known refs that do not belong to any actor system.</summary>
public static class ActorRefs
{
    /// <summary>A ref that swallows every message; what <see cref="IActorContext.Child"/> returns for a missing child.</summary>
    public static IActorRef Nobody { get; } = new NobodyActorRef();

    /// <summary>The sender of an anonymous message. The recipient sees its system's dead letters as Sender.</summary>
    public static IActorRef NoSender => Nobody;

    private sealed class NobodyActorRef : ActorRefBase
    {
        public override ActorPath Path { get; } = ActorPath.Root.Child("nobody");

        public override void Tell(object message, IActorRef? sender = null)
        {
        }
    }
}
