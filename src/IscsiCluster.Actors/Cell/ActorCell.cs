using System.Threading.Channels;

namespace IscsiCluster.Actors;

/// <summary>
/// The runtime side of one actor incarnation: its mailbox, current instance, behavior stack, children, watchers
/// and supervision state. Everything but <see cref="Post"/>, <see cref="SendSystemMessage"/> and the children table
/// is touched only from the cell's own mailbox run, one thread at a time.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? _current;

    [ThreadStatic]
    private static ActorCell? _constructing;

    /// <summary>Set while a ReceiveAsync handler starts, so it flows into its continuations (Forward after an await).</summary>
    private static readonly AsyncLocal<ActorCell?> AsyncCurrent = new();

    private readonly ActorSystem _system;
    private readonly Props _props;
    private readonly IInternalActorRef _parent;
    private readonly List<Func<object, bool>> _behaviorStack = [];
    private Func<object, bool> _behavior = static _ => false;
    private ActorBase? _actor;
    private object? _currentMessage;
    private IActorRef _currentSender = ActorRefs.NoSender;

    public ActorCell(ActorSystem system, Props props, IInternalActorRef parent, ActorPath path)
    {
        _system = system;
        _props = props;
        _parent = parent;
        var channel = Channel.CreateUnbounded<Envelope>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
        _mailboxReader = channel.Reader;
        _mailboxWriter = channel.Writer;
        Self = new LocalActorRef(this, path);
    }

    public LocalActorRef Self { get; }

    IActorRef IActorContext.Self => Self;

    public IActorRef Sender => ReferenceEquals(_currentSender, ActorRefs.NoSender) ? _system.DeadLetters : _currentSender;

    public IActorRef Parent => _parent;

    public ActorSystem System => _system;

    /// <summary>The cell whose handler runs on this thread (or whose async handler this continuation belongs to).</summary>
    internal static ActorCell? Current => AsyncCurrent.Value ?? _current;

    internal static IActorRef CurrentSelfOrNoSender() => Current?.Self ?? ActorRefs.NoSender;

    internal static IActorRef CurrentSenderOrNoSender() => Current?._currentSender ?? ActorRefs.NoSender;

    /// <summary>Hands the cell under construction to the <see cref="ActorBase"/> constructor, once.</summary>
    internal static ActorCell? TakeConstructingCell()
    {
        var cell = _constructing;
        _constructing = null;
        return cell;
    }

    public void Become(Func<object, bool> receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviorStack[^1] = receive;
        _behavior = receive;
    }

    public void BecomeStacked(Func<object, bool> receive)
    {
        ArgumentNullException.ThrowIfNull(receive);
        _behaviorStack.Add(receive);
        _behavior = receive;
    }

    public void UnbecomeStacked()
    {
        if (_behaviorStack.Count > 1)
        {
            _behaviorStack.RemoveAt(_behaviorStack.Count - 1);
            _behavior = _behaviorStack[^1];
        }
    }

    /// <summary>Runs a ReceiveAsync handler; if its task is still running, user messages wait until it completes.</summary>
    internal void RunAsyncHandler<T>(Func<T, Task> handler, T message)
    {
        Task task;
        AsyncCurrent.Value = this;
        try
        {
            task = handler(message);
        }
        finally
        {
            AsyncCurrent.Value = null;
        }

        if (task.IsCompleted)
        {
            task.GetAwaiter().GetResult();
            return;
        }

        _pendingTask = task;
        task.ContinueWith(
            static (completed, state) => ((ActorCell)state!).SendSystemMessage(new AsyncHandlerCompleted(completed)),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    internal void PublishUnhandled(object message)
    {
        ActorsLog.UnhandledMessage(_system.Log, message.GetType().Name, _currentSender.Path, Self.Path);
        _system.EventStream.Publish(new UnhandledMessage(message, Sender, Self));
    }

    private ActorBase NewActor()
    {
        _constructing = this;
        ActorBase actor;
        try
        {
            actor = _props.NewActor();
        }
        finally
        {
            _constructing = null;
        }

        if (!ReferenceEquals(actor.Cell, this))
        {
            throw new ActorInitializationException($"The Props factory for {Self.Path} returned an actor it did not just construct");
        }

        actor.AfterConstruction();
        _behaviorStack.Clear();
        _behavior = actor.Receive;
        _behaviorStack.Add(_behavior);
        return actor;
    }
}
