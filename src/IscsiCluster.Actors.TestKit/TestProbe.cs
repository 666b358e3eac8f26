using System.Threading.Channels;
using Xunit.Sdk;

namespace IscsiCluster.Actors.TestKit;

/// <summary>
/// An actor ref whose received messages go into a queue that the Expect* methods consume in order. Each
/// Expect* call takes exactly one message (or none, for <see cref="ExpectNoMsgAsync"/>) and fails the test with
/// an assertion naming what arrived instead.
/// </summary>
public sealed class TestProbe : IActorRef, IActorRefWrapper
{
    private readonly Channel<ReceivedMessage> _received = Channel.CreateUnbounded<ReceivedMessage>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private object? _lastMessage;

    internal TestProbe(ActorSystem system, string name)
    {
        Ref = system.SystemActorOf(Props.Create(() => new ProbeActor(_received.Writer)), name);
    }

    public IActorRef Ref { get; }

    public ActorPath Path => Ref.Path;

    /// <summary>The sender of the message the last Expect* call returned.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.NoSender;

    IActorRef IActorRefWrapper.Inner => Ref;

    public void Tell(object message, IActorRef? sender = null) => Ref.Tell(message, sender);

    /// <summary>Tells <paramref name="target"/> with this probe as the sender.</summary>
    public void Send(IActorRef target, object message)
    {
        ArgumentNullException.ThrowIfNull(target);
        target.Tell(message, Ref);
    }

    /// <summary>Answers the sender of the last expected message.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Passes the last expected message on to <paramref name="target"/>, keeping its original sender.</summary>
    public void Forward(IActorRef target)
    {
        ArgumentNullException.ThrowIfNull(target);
        var message = _lastMessage ?? throw new InvalidOperationException("No message has been expected yet, so there is nothing to forward");
        target.Tell(message, LastSender);
    }

    /// <summary>Makes this probe receive <see cref="Terminated"/> when <paramref name="actor"/> stops.</summary>
    public IActorRef Watch(IActorRef actor)
    {
        Ref.Tell(new WatchCommand(actor), ActorRefs.NoSender);
        return actor;
    }

    public IActorRef Unwatch(IActorRef actor)
    {
        Ref.Tell(new UnwatchCommand(actor), ActorRefs.NoSender);
        return actor;
    }

    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null) =>
        ExpectAsync<T>(static _ => true, timeout, $"a {typeof(T).Name}");

    public Task<T> ExpectMsgAsync<T>(Func<T, bool> predicate, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        return ExpectAsync(predicate, timeout, $"a {typeof(T).Name} matching the predicate");
    }

    /// <summary>Expects a message equal to <paramref name="expected"/>.</summary>
    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(expected);
        return ExpectAsync<T>(actual => expected.Equals(actual), timeout, $"{typeof(T).Name} {expected}");
    }

    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return ExpectAsync<Terminated>(terminated => terminated.ActorRef.Equals(actor), timeout, $"Terminated for {actor.Path}");
    }

    /// <summary>Waits the whole <paramref name="duration"/> and fails if any message arrives meanwhile.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        var received = await TryReceiveAsync(duration).ConfigureAwait(false);
        if (received is not null)
        {
            throw FailException.ForFailure($"{Ref.Path} expected no message for {duration} but received {Describe(received)}");
        }
    }

    public bool Equals(IActorRef? other) => Ref.Equals(other);

    public override bool Equals(object? obj) => obj is IActorRef other && Equals(other);

    public override int GetHashCode() => Ref.GetHashCode();

    public override string ToString() => Ref.ToString() ?? string.Empty;

    private static string Describe(ReceivedMessage received) =>
        $"a {received.Message.GetType().Name} ({received.Message}) from {received.Sender.Path}";

    private async Task<T> ExpectAsync<T>(Func<T, bool> predicate, TimeSpan? timeout, string expectation)
    {
        var wait = timeout ?? TestKitSettings.DefaultTimeout;
        var received = await TryReceiveAsync(wait).ConfigureAwait(false)
            ?? throw FailException.ForFailure($"{Ref.Path} timed out after {wait} waiting for {expectation}; no message arrived");
        _lastMessage = received.Message;
        LastSender = received.Sender;
        if (received.Message is T typed && predicate(typed))
        {
            return typed;
        }

        throw FailException.ForFailure($"{Ref.Path} expected {expectation} but received {Describe(received)}");
    }

    private async Task<ReceivedMessage?> TryReceiveAsync(TimeSpan timeout)
    {
        if (_received.Reader.TryRead(out var ready))
        {
            return ready;
        }

        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            return await _received.Reader.ReadAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }
}
