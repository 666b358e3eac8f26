using Akka.Actor;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// One logical unit as an actor: it runs the SCSI engine for that unit one command at a
/// time, so a session reaches a LUN only by message and the LUN's state (unit attentions,
/// reservations, mode pages) has exactly one writer. The one exception is the medium read of a
/// SIMPLE READ (<see cref="IScsiUnit.MayOverlap"/>): once its checks are done the actor moves on
/// while the read completes, so one LUN's reads use every core. Task management waits for those
/// reads, so a function is still answered only after every command that came before it.
/// Later milestones move it between nodes.
/// <para>
/// A SIMPLE WRITE overlaps too: with a <see cref="GroupCommit"/> its data is staged, and the
/// actor commits what is staged once it reaches a message it sent itself after the first of
/// those writes, so the writes that queued in its mailbox meanwhile share one RocksDB write.
/// Anything that waits for earlier commands, or runs on its own, commits first.
/// </para>
/// </summary>
public sealed class LunActor : ReceiveActor
{
    private readonly IScsiUnit _unit;
    private readonly ILogger _logger;
    private readonly Dictionary<string, IoCounters> _counters = new(StringComparer.Ordinal);
    private readonly OverlapTracker _overlapping = new();
    private readonly GroupCommit? _groupCommit;
    private bool _commitQueued;

    public LunActor(IScsiUnit unit, ILogger logger, GroupCommit? groupCommit = null)
    {
        _unit = unit;
        _logger = logger;
        _groupCommit = groupCommit;
        Receive<ExecuteCommand>(StartOverlapping, _unit.MayOverlap);
        Receive<CommitStagedWrites>(_ =>
        {
            _commitQueued = false;
            _groupCommit?.Commit();
        });
        ReceiveAsync<ExecuteCommand>(HandleExecuteAsync);
        Receive<OverlappedDone>(done =>
        {
            if (_counters.TryGetValue(done.Command.Nexus.InitiatorPortName, out var counters))
            {
                counters.Done(done.Command, done.Result);
            }
        });
        ReceiveAsync<TaskManagementRequest>(async request =>
        {
            var replyTo = Sender;
            _groupCommit?.Commit();
            await _overlapping.WhenIdle();
            replyTo.Tell(_unit.Manage(request), Self);
        });
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
        var counters = CountersOf(command);
        counters.Submitted(command);

        // Staged writes complete only once committed: before the actor waits, nothing may stay staged.
        _groupCommit?.Commit();
        if (command.Attribute == TaskAttribute.Ordered)
        {
            // SAM-5 task attributes: an ORDERED task starts only after every older task has ended.
            await _overlapping.WhenIdle();
        }

        var result = await RunAsync(command);
        counters.Done(command, result);
        replyTo.Tell(result, Self);
    }

    /// <summary>
    /// Starts a command that may overlap later ones. When its read does not finish at once, the
    /// answer goes to the session from the thread the read ends on, and the counters follow by
    /// message, since only the actor touches them.
    /// </summary>
    private void StartOverlapping(ExecuteCommand command)
    {
        var replyTo = Sender;
        var counters = CountersOf(command);
        counters.Submitted(command);
        ValueTask<CommandComplete> running;
        _groupCommit?.BeginStaging();
        try
        {
            running = RunAsync(command);
        }
        finally
        {
            _groupCommit?.EndStaging();
        }

        if (running.IsCompleted)
        {
            var result = running.Result;
            counters.Done(command, result);
            replyTo.Tell(result, Self);
            return;
        }

        _overlapping.Enter();
        _ = FinishOverlappingAsync(command, running, replyTo, Self);
        if (!_commitQueued && _groupCommit is { HasStaged: true })
        {
            // Behind the commands already in the mailbox: the writes among them join the group.
            _commitQueued = true;
            Self.Tell(CommitStagedWrites.Instance);
        }
    }

    /// <summary>Staged writes were accepted: a stopping LUN still puts them in the store.</summary>
    protected override void PostStop() => _groupCommit?.Commit();

    /// <summary>
    /// Answers an overlapping command from the thread its medium operation ends on. It runs outside the
    /// actor, where Akka's <c>Self</c> is not available, so the actor's reference comes as <paramref name="self"/>.
    /// </summary>
    private async Task FinishOverlappingAsync(ExecuteCommand command, ValueTask<CommandComplete> running, IActorRef replyTo, IActorRef self)
    {
        var result = await running;
        replyTo.Tell(result, self);
        _overlapping.Exit();
        self.Tell(new OverlappedDone(command, result), ActorRefs.NoSender);
    }

    /// <summary>Runs one command; a failing backing store ends only that command (ARCHITECTURE invariant 7).</summary>
    private async ValueTask<CommandComplete> RunAsync(ExecuteCommand command)
    {
        try
        {
            return await _unit.ExecuteAsync(command);
        }
        catch (Exception e)
        {
            // A failing backing store ends this one command with a CHECK CONDITION; the LUN
            // actor and every other command carry on.
            NodeLog.CommandFailed(_logger, command.Lun, command.TaskTag, e);
            return new CommandComplete(
                command.TaskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, SenseTable.BuildFixed(SenseReason.InternalTargetFailure), 0);
        }
    }

    private IoCounters CountersOf(ExecuteCommand command)
    {
        if (!_counters.TryGetValue(command.Nexus.InitiatorPortName, out var counters))
        {
            _counters[command.Nexus.InitiatorPortName] = counters = new IoCounters();
        }

        return counters;
    }

    /// <summary>The actor's note to itself to commit the writes staged so far.</summary>
    private sealed record CommitStagedWrites
    {
        public static readonly CommitStagedWrites Instance = new();

        private CommitStagedWrites()
        {
        }
    }

    /// <summary>An overlapping command was answered; the actor counts it.</summary>
    private sealed record OverlappedDone(ExecuteCommand Command, CommandComplete Result);

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
