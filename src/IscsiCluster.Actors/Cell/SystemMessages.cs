namespace IscsiCluster.Actors;

/// <summary>
/// Messages the runtime sends to a cell. They go to a separate queue that is drained before (and between)
/// user messages, even while the actor is suspended by a failure or an async handler.
/// </summary>
internal abstract class SystemMessage;

/// <summary>Build the actor instance and run PreStart.</summary>
internal sealed class CreateActor : SystemMessage
{
    public static CreateActor Instance { get; } = new();
}

/// <summary>Stop: children first, then PostStop, then notify parent and watchers.</summary>
internal sealed class StopActor : SystemMessage
{
    public static StopActor Instance { get; } = new();
}

/// <summary>Continue after a failure, keeping the instance.</summary>
internal sealed class ResumeActor : SystemMessage
{
    public static ResumeActor Instance { get; } = new();
}

/// <summary>Replace the instance after a failure.</summary>
internal sealed class RecreateActor(Exception cause) : SystemMessage
{
    public Exception Cause { get; } = cause;
}

/// <summary>A child's handler threw; its parent decides what happens.</summary>
internal sealed class ChildFailed(LocalActorRef child, Exception cause) : SystemMessage
{
    public LocalActorRef Child { get; } = child;

    public Exception Cause { get; } = cause;
}

/// <summary>Sent to the watchee: notify <see cref="Watcher"/> when you stop.</summary>
internal sealed class WatchActor(IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watcher { get; } = watcher;
}

/// <summary>Sent to the watchee: forget <see cref="Watcher"/>.</summary>
internal sealed class UnwatchActor(IInternalActorRef watcher) : SystemMessage
{
    public IInternalActorRef Watcher { get; } = watcher;
}

/// <summary>Sent to watchers and the parent once <see cref="Actor"/> has fully stopped.</summary>
internal sealed class DeathWatchNotification(IInternalActorRef actor) : SystemMessage
{
    public IInternalActorRef Actor { get; } = actor;
}

/// <summary>The task of a ReceiveAsync handler finished; user messages may flow again.</summary>
internal sealed class AsyncHandlerCompleted(Task task) : SystemMessage
{
    public Task Task { get; } = task;
}
