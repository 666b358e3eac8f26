namespace IscsiCluster.Actors;

/// <summary>Identity equality shared by every ref in this assembly; wrappers (test probes) compare as what they wrap.</summary>
internal abstract class ActorRefBase : IActorRef
{
    public abstract ActorPath Path { get; }

    public abstract void Tell(object message, IActorRef? sender = null);

    public bool Equals(IActorRef? other) => other is not null && ReferenceEquals(this, ActorRefWrapper.Unwrap(other));

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    public override string ToString() => Path.ToString();
}

/// <summary>Implemented by refs that stand for another ref (the TestKit's probes).</summary>
internal interface IActorRefWrapper
{
    IActorRef Inner { get; }
}

internal static class ActorRefWrapper
{
    public static IActorRef Unwrap(IActorRef actorRef) => actorRef is IActorRefWrapper wrapper ? wrapper.Inner : actorRef;
}
