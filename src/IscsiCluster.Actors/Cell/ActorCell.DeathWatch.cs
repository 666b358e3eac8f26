namespace IscsiCluster.Actors;

/// <summary>Death watch: who this actor watches, who watches it, and turning notifications into <see cref="Terminated"/>.</summary>
internal sealed partial class ActorCell
{
    private readonly HashSet<IInternalActorRef> _watching = [];
    private readonly HashSet<IInternalActorRef> _watchedBy = [];

    public IActorRef Watch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (ActorRefWrapper.Unwrap(subject) is IInternalActorRef target)
        {
            if (!ReferenceEquals(target, Self) && _watching.Add(target))
            {
                target.SendSystemMessage(new WatchActor(Self));
            }
        }
        else
        {
            // Not an actor (an Ask slot, Nobody, dead letters): it can never be alive, so report it stopped.
            Self.Tell(new Terminated(subject), subject);
        }

        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        if (ActorRefWrapper.Unwrap(subject) is IInternalActorRef target && _watching.Remove(target))
        {
            target.SendSystemMessage(new UnwatchActor(Self));
        }

        return subject;
    }

    private void HandleDeathWatchNotification(IInternalActorRef actor)
    {
        if (_watching.Remove(actor) && !_terminating)
        {
            Self.Tell(new Terminated(actor), actor);
        }

        if (actor is LocalActorRef child && TryRemoveChild(child))
        {
            if (_terminating)
            {
                if (!HasChildren())
                {
                    FinishTerminate();
                }
            }
            else if (_pendingRecreateCause is { } cause && !HasChildrenBeingStopped())
            {
                FinishRecreate(cause);
            }
        }
    }
}
