namespace IscsiCluster.Actors;

/// <summary>One behavior of a <see cref="ReceiveActor"/>: its handlers in registration order.</summary>
internal sealed class ReceiveHandlerTable
{
    private readonly List<ReceiveHandler> _handlers = [];

    public void Add(ReceiveHandler handler) => _handlers.Add(handler);

    public bool TryHandle(object message)
    {
        foreach (var handler in _handlers)
        {
            if (handler.TryHandle(message))
            {
                return true;
            }
        }

        return false;
    }
}

internal abstract class ReceiveHandler
{
    public abstract bool TryHandle(object message);
}

internal sealed class SyncReceiveHandler<T>(Action<T> handler, Predicate<T>? shouldHandle) : ReceiveHandler
{
    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed)))
        {
            return false;
        }

        handler(typed);
        return true;
    }
}

internal sealed class AsyncReceiveHandler<T>(ActorCell cell, Func<T, Task> handler, Predicate<T>? shouldHandle) : ReceiveHandler
{
    public override bool TryHandle(object message)
    {
        if (message is not T typed || (shouldHandle is not null && !shouldHandle(typed)))
        {
            return false;
        }

        cell.RunAsyncHandler(handler, typed);
        return true;
    }
}
