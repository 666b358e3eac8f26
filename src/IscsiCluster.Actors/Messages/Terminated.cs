namespace IscsiCluster.Actors;

/// <summary>Delivered once to a watcher when the watched actor has stopped (see <see cref="IActorContext.Watch"/>).</summary>
public sealed record Terminated(IActorRef ActorRef);
