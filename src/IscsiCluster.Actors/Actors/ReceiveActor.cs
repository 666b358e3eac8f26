namespace IscsiCluster.Actors;

/// <summary>
/// An actor whose handlers are registered by message type in its constructor (or inside Become). The first
/// matching handler wins; a message no handler matches goes to <see cref="ActorBase.Unhandled"/>.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly ReceiveHandlerTable _initial = new();
    private ReceiveHandlerTable? _registering;

    protected ReceiveActor()
    {
        _registering = _initial;
    }

    private ReceiveHandlerTable Registering => _registering
        ?? throw new InvalidOperationException("Receive handlers can only be registered in the constructor or inside Become/BecomeStacked");

    protected internal sealed override bool Receive(object message) => _initial.TryHandle(message);

    protected void Receive<T>(Action<T> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Registering.Add(new SyncReceiveHandler<T>(handler, shouldHandle));
    }

    /// <summary>Registers an async handler; no further user message is handled until its task completes.</summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? shouldHandle = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Registering.Add(new AsyncReceiveHandler<T>(Cell, handler, shouldHandle));
    }

    protected void ReceiveAny(Action<object> handler)
    {
        ArgumentNullException.ThrowIfNull(handler);
        Registering.Add(new SyncReceiveHandler<object>(handler, null));
    }

    /// <summary>Replaces the current handlers with those <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Pushes the handlers <paramref name="configure"/> registers; <see cref="UnbecomeStacked"/> returns to the previous ones.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    protected void UnbecomeStacked() => Context.UnbecomeStacked();

    internal override void AfterConstruction() => _registering = null;

    private Func<object, bool> Build(Action configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        var table = new ReceiveHandlerTable();
        var previous = _registering;
        _registering = table;
        try
        {
            configure();
        }
        finally
        {
            _registering = previous;
        }

        return table.TryHandle;
    }
}
