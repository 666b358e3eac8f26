using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Actors;

/// <summary>
/// A tree of actors under two guardians: <c>/user</c> (what <see cref="ActorOf"/> creates) and <c>/system</c>
/// (runtime helpers such as test probes). Terminating stops /user first, then /system, then the scheduler.
/// </summary>
public sealed class ActorSystem : IDisposable, IAsyncDisposable
{
    private const string LoggerCategory = "IscsiCluster.Actors";

    private readonly TaskCompletionSource _terminated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TimerScheduler _scheduler = new();
    private readonly ActorCell _userGuardian;
    private readonly ActorCell _systemGuardian;
    private int _terminateRequested;

    private ActorSystem(string name, ILoggerFactory loggerFactory)
    {
        Name = name;
        LoggerFactory = loggerFactory;
        Log = loggerFactory.CreateLogger(LoggerCategory);
        DeadLetters = new DeadLetterActorRef(this);
        var root = new RootSupervisor(this);
        _userGuardian = new ActorCell(this, Props.Create(() => new GuardianActor()), root, ActorPath.Root.Child("user"));
        _systemGuardian = new ActorCell(this, Props.Create(() => new GuardianActor()), root, ActorPath.Root.Child("system"));
        _userGuardian.SendSystemMessage(CreateActor.Instance);
        _systemGuardian.SendSystemMessage(CreateActor.Instance);
    }

    public string Name { get; }

    public ILoggerFactory LoggerFactory { get; }

    public IScheduler Scheduler => _scheduler;

    /// <summary>Where undeliverable messages go; they are logged at debug level and published as <see cref="DeadLetter"/>.</summary>
    public IActorRef DeadLetters { get; }

    public EventStream EventStream { get; } = new();

    public Task WhenTerminated => _terminated.Task;

    internal ILogger Log { get; }

    public static ActorSystem Create(string name, ILoggerFactory? loggerFactory = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return new ActorSystem(name, loggerFactory ?? NullLoggerFactory.Instance);
    }

    /// <summary>Creates a top-level actor under <c>/user</c>.</summary>
    public IActorRef ActorOf(Props props, string? name = null) => _userGuardian.ActorOf(props, name);

    /// <summary>Creates a runtime actor under <c>/system</c>; these outlive every /user actor during termination.</summary>
    public IActorRef SystemActorOf(Props props, string? name = null) => _systemGuardian.ActorOf(props, name);

    public void Stop(IActorRef actor)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ActorCell.StopActorRef(actor);
    }

    /// <summary>Stops every actor (children before parents, PostStop runs) and completes <see cref="WhenTerminated"/>.</summary>
    public Task Terminate()
    {
        if (Interlocked.Exchange(ref _terminateRequested, 1) == 0)
        {
            _userGuardian.SendSystemMessage(StopActor.Instance);
        }

        return WhenTerminated;
    }

    /// <summary>Terminates and blocks until done; never call it from inside an actor.</summary>
    public void Dispose()
    {
        Terminate().GetAwaiter().GetResult();
        _scheduler.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await Terminate().ConfigureAwait(false);
        _scheduler.Dispose();
    }

    public override string ToString() => Name;

    internal void PublishDeadLetter(object message, IActorRef sender, IActorRef recipient)
    {
        ActorsLog.DeadLetter(Log, message.GetType().Name, sender.Path, recipient.Path);

        // A dead letter about a dead letter (a stopped subscriber) is only logged, never republished.
        if (message is not AllDeadLetters)
        {
            EventStream.Publish(new DeadLetter(message, sender, recipient));
        }
    }

    internal void OnGuardianTerminated(IInternalActorRef guardian)
    {
        if (ReferenceEquals(guardian, _userGuardian.Self))
        {
            Interlocked.Exchange(ref _terminateRequested, 1);
            _systemGuardian.SendSystemMessage(StopActor.Instance);
        }
        else if (ReferenceEquals(guardian, _systemGuardian.Self))
        {
            _scheduler.Dispose();
            _terminated.TrySetResult();
        }
    }
}
