namespace IscsiCluster.Actors;

/// <summary>
/// The pseudo-parent of the two guardians. A failure escalated this far is logged and the guardian resumed, so a
/// failing actor never takes the system (or the process) down; guardian deaths drive <see cref="ActorSystem.Terminate"/>.
/// </summary>
internal sealed class RootSupervisor(ActorSystem system) : ActorRefBase, IInternalActorRef
{
    public override ActorPath Path => ActorPath.Root;

    public override void Tell(object message, IActorRef? sender = null) =>
        system.PublishDeadLetter(message, sender ?? ActorRefs.NoSender, this);

    public void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case ChildFailed failed:
                ActorsLog.GuardianFailed(system.Log, failed.Cause, failed.Child.Path);
                failed.Child.SendSystemMessage(ResumeActor.Instance);
                break;
            case DeathWatchNotification notification:
                system.OnGuardianTerminated(notification.Actor);
                break;
        }
    }
}

/// <summary>The actor behind /user and /system: it only supervises, with the default strategy.</summary>
internal sealed class GuardianActor : ActorBase
{
    protected internal override bool Receive(object message) => false;
}
