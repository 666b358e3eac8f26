using IscsiCluster.Actors;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// One logical unit as an actor: it runs the SCSI engine for that unit one command at a
/// time, so a session reaches a LUN only by message and the LUN's state (unit attentions,
/// reservations, mode pages) has exactly one writer. Later milestones move it between nodes.
/// </summary>
public sealed class LunActor : ReceiveActor
{
    private readonly IScsiUnit _unit;
    private readonly ILogger _logger;

    public LunActor(IScsiUnit unit, ILogger logger)
    {
        _unit = unit;
        _logger = logger;
        ReceiveAsync<ExecuteCommand>(HandleExecuteAsync);
        Receive<TaskManagementRequest>(request => Sender.Tell(_unit.Manage(request), Self));
        Receive<NexusLost>(lost => _unit.OnNexusLost(lost.Nexus));
        Receive<SetInventory>(inventory => _unit.SetInventory(inventory.Luns));
    }

    private async Task HandleExecuteAsync(ExecuteCommand command)
    {
        var replyTo = Sender;
        CommandComplete result;
        try
        {
            result = await _unit.ExecuteAsync(command);
        }
        catch (Exception e)
        {
            // A failing backing store ends this one command with a CHECK CONDITION; the LUN
            // actor and every other command carry on (ARCHITECTURE invariant 7).
            NodeLog.CommandFailed(_logger, command.Lun, command.TaskTag, e);
            result = new CommandComplete(
                command.TaskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, SenseTable.BuildFixed(SenseReason.InternalTargetFailure), 0);
        }

        replyTo.Tell(result, Self);
    }

    /// <summary>The LUN numbers of the unit's target, for REPORT LUNS.</summary>
    public sealed record SetInventory(IReadOnlyList<ulong> Luns);
}
