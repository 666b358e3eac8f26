using System.Collections.Immutable;

namespace IscsiCluster.Actors;

/// <summary>Publish/subscribe by type for runtime events such as <see cref="DeadLetter"/> and <see cref="UnhandledMessage"/>.</summary>
public sealed class EventStream
{
    private readonly Lock _lock = new();
    private ImmutableArray<Subscription> _subscriptions = [];

    /// <summary>Delivers every published event assignable to <paramref name="channel"/>; false if already subscribed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        var subscription = new Subscription(subscriber, channel);
        lock (_lock)
        {
            if (_subscriptions.Contains(subscription))
            {
                return false;
            }

            _subscriptions = _subscriptions.Add(subscription);
            return true;
        }
    }

    public bool Unsubscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        lock (_lock)
        {
            var before = _subscriptions.Length;
            _subscriptions = _subscriptions.Remove(new Subscription(subscriber, channel));
            return _subscriptions.Length != before;
        }
    }

    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        foreach (var subscription in _subscriptions)
        {
            if (subscription.Channel.IsInstanceOfType(@event))
            {
                subscription.Subscriber.Tell(@event, ActorRefs.NoSender);
            }
        }
    }

    private readonly record struct Subscription(IActorRef Subscriber, Type Channel);
}
