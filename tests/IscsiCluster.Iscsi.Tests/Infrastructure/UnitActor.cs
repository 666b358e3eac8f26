using Akka.Actor;
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
                unit.ExecuteAsync(command).AsTask().PipeTo(Sender, success: complete => Observed(complete));
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

    /// <summary>Lets the observer see when the transport hands a pooled data-in buffer back.</summary>
    private CommandComplete Observed(CommandComplete complete)
    {
        if (observer is null || complete.DataInRelease is not { } release)
        {
            return complete;
        }

        var tag = complete.TaskTag;
        return complete with
        {
            DataInRelease = () =>
            {
                release();
                observer.Tell(new DataInReleased(tag));
            },
        };
    }
}

/// <summary>The transport gave back the data-in buffer of the command with <paramref name="TaskTag"/>.</summary>
internal sealed record DataInReleased(uint TaskTag);
