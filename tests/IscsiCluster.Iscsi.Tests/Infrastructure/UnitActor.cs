using IscsiCluster.Actors;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>A LUN actor for tests: runs an <see cref="IScsiUnit"/> and reports what it saw to an optional observer.</summary>
internal sealed class UnitActor(IScsiUnit unit, IActorRef? observer = null) : UntypedActor
{
    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case ExecuteCommand command:
                observer?.Tell(command);
                unit.ExecuteAsync(command).AsTask().PipeTo(Sender);
                break;
            case TaskManagementRequest request:
                observer?.Tell(request);
                Sender.Tell(unit.Manage(request));
                break;
            case NexusLost lost:
                observer?.Tell(lost);
                unit.OnNexusLost(lost.Nexus);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
