namespace IscsiCluster.Actors;

/// <summary>An actor with one catch-all handler; call <see cref="ActorBase.Unhandled"/> for messages it does not want.</summary>
public abstract class UntypedActor : ActorBase
{
    protected internal sealed override bool Receive(object message)
    {
        OnReceive(message);
        return true;
    }

    protected abstract void OnReceive(object message);
}
