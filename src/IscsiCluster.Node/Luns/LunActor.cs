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
    private readonly Dictionary<string, IoCounters> _counters = new(StringComparer.Ordinal);

    public LunActor(IScsiUnit unit, ILogger logger)
    {
        _unit = unit;
        _logger = logger;
        ReceiveAsync<ExecuteCommand>(HandleExecuteAsync);
        Receive<TaskManagementRequest>(request => Sender.Tell(_unit.Manage(request), Self));
        Receive<NexusLost>(lost =>
        {
            _unit.OnNexusLost(lost.Nexus);
            _counters.Remove(lost.Nexus.InitiatorPortName);
        });
        Receive<SetInventory>(inventory => _unit.SetInventory(inventory.Luns));
        Receive<GetStatistics>(_ => Sender.Tell(new Statistics(_counters.ToDictionary(c => c.Key, c => c.Value.Snapshot(), StringComparer.Ordinal))));
    }

    private async Task HandleExecuteAsync(ExecuteCommand command)
    {
        var replyTo = Sender;
        if (!_counters.TryGetValue(command.Nexus.InitiatorPortName, out var counters))
        {
            _counters[command.Nexus.InitiatorPortName] = counters = new IoCounters();
        }

        counters.Submitted(command);
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

        counters.Done(command, result);
        replyTo.Tell(result, Self);
    }

    /// <summary>The LUN numbers of the unit's target, for REPORT LUNS.</summary>
    public sealed record SetInventory(IReadOnlyList<ulong> Luns);

    /// <summary>Asks for the I/O counters of every initiator port that sent commands; the answer is <see cref="Statistics"/>.</summary>
    public sealed record GetStatistics
    {
        public static readonly GetStatistics Instance = new();

        private GetStatistics()
        {
        }
    }

    /// <summary>I/O counters by initiator port name (the nexus's initiator side, SAM-5 4.7).</summary>
    public sealed record Statistics(IReadOnlyDictionary<string, IoCounters> ByInitiatorPort);
}
