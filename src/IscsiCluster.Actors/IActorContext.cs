namespace IscsiCluster.Actors;

/// <summary>What an actor may do with the runtime while one of its handlers (or lifecycle hooks) runs.</summary>
public interface IActorContext
{
    IActorRef Self { get; }

    /// <summary>The sender of the message being handled; the system's dead letters when there is none.</summary>
    IActorRef Sender { get; }

    IActorRef Parent { get; }

    ActorSystem System { get; }

    IEnumerable<IActorRef> Children { get; }

    /// <summary>Creates a child; <paramref name="name"/> must be unique among live siblings (null generates <c>$a</c>, <c>$b</c>, ...).</summary>
    IActorRef ActorOf(Props props, string? name = null);

    /// <summary>Stops a child, another actor, or Self (after the current message).</summary>
    void Stop(IActorRef actor);

    /// <summary>Delivers <see cref="Terminated"/> once when <paramref name="subject"/> stops, even if it already has.</summary>
    IActorRef Watch(IActorRef subject);

    /// <summary>Stops watching; a <see cref="Terminated"/> already queued before the call is still delivered.</summary>
    IActorRef Unwatch(IActorRef subject);

    /// <summary>The live child of that name, or <see cref="ActorRefs.Nobody"/>.</summary>
    IActorRef Child(string name);

    /// <summary>
    /// Sends <see cref="ReceiveTimeout"/> after this much inactivity (again after each further idle period); every
    /// other handled message restarts the clock. Null turns it off (one already queued may still arrive).
    /// </summary>
    void SetReceiveTimeout(TimeSpan? timeout);

    /// <summary>Replaces the current behavior.</summary>
    void Become(Func<object, bool> receive);

    /// <summary>Pushes a behavior that <see cref="UnbecomeStacked"/> pops.</summary>
    void BecomeStacked(Func<object, bool> receive);

    void UnbecomeStacked();
}
