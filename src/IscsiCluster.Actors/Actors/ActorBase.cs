namespace IscsiCluster.Actors;

/// <summary>
/// The base of every actor. Instances are built only by the runtime from <see cref="Props"/>; handlers run one
/// message at a time, so an actor's fields need no locking.
/// </summary>
public abstract class ActorBase
{
    protected ActorBase()
    {
        Cell = ActorCell.TakeConstructingCell()
            ?? throw new ActorInitializationException($"{GetType().Name} must be created through Props and ActorOf, not with 'new'");
    }

    internal ActorCell Cell { get; }

    protected IActorRef Self => Cell.Self;

    /// <summary>The sender of the message being handled; stays the same across the awaits of a ReceiveAsync handler.</summary>
    protected IActorRef Sender => Cell.Sender;

    protected IActorContext Context => Cell;

    /// <summary>Handles one message; returns false when the current behavior does not handle it.</summary>
    protected internal abstract bool Receive(object message);

    protected virtual void PreStart()
    {
    }

    protected virtual void PostStop()
    {
    }

    /// <summary>Runs on the failed instance before it is replaced; by default stops every child and calls PostStop.</summary>
    protected virtual void PreRestart(Exception reason, object? message)
    {
        foreach (var child in Context.Children)
        {
            Context.Unwatch(child);
            Context.Stop(child);
        }

        PostStop();
    }

    /// <summary>Runs on the new instance after a restart; by default calls PreStart.</summary>
    protected virtual void PostRestart(Exception reason) => PreStart();

    /// <summary>How this actor supervises its children (unless its Props carry a strategy).</summary>
    protected virtual SupervisorStrategy SupervisorStrategy() => IscsiCluster.Actors.SupervisorStrategy.DefaultStrategy;

    /// <summary>
    /// Called for a message no behavior handled: logs it at debug level and publishes an <see cref="UnhandledMessage"/>.
    /// An unhandled <see cref="Terminated"/> fails the actor with a <see cref="DeathPactException"/>.
    /// </summary>
    protected virtual void Unhandled(object message)
    {
        if (message is Terminated terminated)
        {
            throw new DeathPactException($"{Self.Path} did not handle Terminated for {terminated.ActorRef.Path}");
        }

        Cell.PublishUnhandled(message);
    }

    internal virtual void AfterConstruction()
    {
    }

    internal void InvokePreStart() => PreStart();

    internal void InvokePostStop() => PostStop();

    internal void InvokePreRestart(Exception reason, object? message) => PreRestart(reason, message);

    internal void InvokePostRestart(Exception reason) => PostRestart(reason);

    internal SupervisorStrategy InvokeSupervisorStrategy() => SupervisorStrategy();

    internal void InvokeUnhandled(object message) => Unhandled(message);
}
