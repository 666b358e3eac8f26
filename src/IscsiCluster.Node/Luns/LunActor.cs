using Akka.Actor;
using Akka.Cluster.Sharding;
using IscsiCluster.Cluster.Replication;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>
/// One logical unit as an actor: it runs the SCSI engine for that unit, so a session reaches a LUN only by message and
/// the LUN's state (unit attentions, reservations, mode pages) has exactly one writer. For a replicated disk it is the
/// LUN's owner (a sharded entity): its writes complete once a majority of replicas has them, which the replication
/// protocol reports back through this actor's mailbox (<see cref="LunReplication"/>).
/// <para>
/// A SIMPLE READ or WRITE (<see cref="IScsiUnit.MayOverlap"/>) overlaps later commands: once its checks are done the
/// actor moves on while the medium works. The writes such commands stage while the actor handles its mailbox are
/// submitted together when it reaches the note it sent itself after the first of them (group commit: one log entry
/// group, one RocksDB write per replica). Every other command, and task management, runs alone: the actor waits for
/// the overlapping commands before it starts, and stashes later commands until it has answered (Akka's Become and
/// Stash; the protocol's messages keep flowing meanwhile, so a command waiting for its writes is never starved).
/// </para>
/// </summary>
public sealed class LunActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private static readonly TimeSpan AnnounceInterval = TimeSpan.FromSeconds(2);

    private readonly IScsiUnit _unit;
    private readonly ILogger _logger;
    private readonly LunReplication? _replication;
    private readonly TimeSpan _tick;
    private readonly Dictionary<(string InitiatorPort, ushort TargetPortGroup), IoCounters> _counters = [];

    // This instance of the actor: a supervisor's restart makes a new one (with the same unit), and the notes the old one's
    // commands send when they end must neither count against the new one's overlapping commands nor end its exclusive one.
    private readonly object _incarnation = new();
    private int _overlapping;
    private Exclusive? _exclusive;

    /// <param name="replication">For a replicated disk: the owner's side of its replication; null for a unit of this node only.</param>
    /// <param name="tick">How often the replication protocol's timers run.</param>
    public LunActor(IScsiUnit unit, ILogger logger, LunReplication? replication = null, TimeSpan tick = default)
    {
        _unit = unit;
        _logger = logger;
        _replication = replication;
        _tick = tick > TimeSpan.Zero ? tick : TimeSpan.FromMilliseconds(20);
        Become(Ready);
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        if (_replication is not null)
        {
            _replication.Start(Self, (DiskUnit)_unit);
            Timers.StartPeriodicTimer(ReplicationTick.Instance, ReplicationTick.Instance, _tick);
            Timers.StartPeriodicTimer(AnnounceTick.Instance, AnnounceTick.Instance, AnnounceInterval);
        }
    }

    /// <summary>A stopping owner fails what it has not had acknowledged; the initiator retries on the next owner.</summary>
    protected override void PostStop() => _replication?.Stop();

    private void Ready()
    {
        Receive<ExecuteCommand>(StartOverlapping, command => _unit.MayOverlap(command));
        Receive<ExecuteCommand>(command => BeginExclusive(command, Sender));
        Receive<TaskManagementRequest>(request => BeginExclusive(request, Sender));
        Receive<NexusLost>(lost =>
        {
            _unit.OnNexusLost(lost.Nexus);
            _counters.Remove(CountersKey(lost.Nexus));
        });
        Receive<SetInventory>(inventory => _unit.SetInventory(inventory.Luns));
        Receive<PortGroupsChanged>(_ => _replication?.CheckGroups());
        Receive<Restart>(_ => Context.Parent.Tell(new Passivate(PoisonPill.Instance)));
        Receive<Resize>(resize => _replication?.Resize(resize.ReplicatedBytes));
        Always();
    }

    private void Exclusively()
    {
        // Whatever touches the unit waits: the exclusive command may be running on another thread right now.
        Receive<ExecuteCommand>(_ => Stash.Stash());
        Receive<TaskManagementRequest>(_ => Stash.Stash());
        Receive<NexusLost>(_ => Stash.Stash());
        Receive<SetInventory>(_ => Stash.Stash());
        Receive<PortGroupsChanged>(_ => Stash.Stash());
        Receive<Restart>(_ => Stash.Stash());
        Receive<Resize>(_ => Stash.Stash());
        Receive<ExclusiveDone>(done => done.Incarnation == _incarnation, FinishExclusive);
        Always();
    }

    /// <summary>What the actor handles in every state: the replication protocol, its own notes, statistics.</summary>
    private void Always()
    {
        Receive<CommitStagedWrites>(_ => _replication?.Volume.CommitStaged());
        Receive<OwnerInput>(input => _replication?.Volume.Handle(input));
        Receive<ReplicationTick>(_ => _replication?.Volume.Tick());
        Receive<AnnounceTick>(_ => _replication?.Announce());
        Receive<Administration.WakeLun>(_ => _replication?.Announce());
        Receive<ExclusiveDone>(done => done.Incarnation != _incarnation, AnswerForEarlierIncarnation);
        Receive<OverlappedDone>(done => done.Incarnation != _incarnation, _ => { });
        Receive<OverlappedDone>(done =>
        {
            if (_counters.TryGetValue(CountersKey(done.Command.Nexus), out var counters))
            {
                counters.Done(done.Command, done.Result);
            }

            _overlapping--;
            StartExclusiveWhenIdle();
        });
        Receive<GetOwnerStatus>(query => Sender.Tell(_replication?.Report() ?? new OwnerStatusReport(query.LunId, 0, "absent", 0, -1, [])));
        Receive<GetLunStatistics>(query => Sender.Tell(new LunStatisticsReport(
            query.LunId,
            [.. _counters.Select(c => new NexusCounters(c.Key.InitiatorPort, c.Key.TargetPortGroup, c.Value.Snapshot()))])));
    }

    /// <summary>
    /// Starts a command that may overlap later ones. When it does not finish at once, its answer goes to the session from
    /// the thread it ends on (the store's, or this actor's when its writes are acknowledged), and the counters follow by message.
    /// </summary>
    private void StartOverlapping(ExecuteCommand command)
    {
        var replyTo = Sender;
        var counters = CountersOf(command);
        counters.Submitted(command);
        var running = RunAsync(command);
        if (running.IsCompleted && _replication?.State.TakePendingWrite() is { } saved)
        {
            // Unit state was saved meanwhile (most often: it reported a saved unit attention): answered once that is on a majority.
            running = AfterSavedAsync(running.Result, saved);
        }

        if (running.IsCompleted)
        {
            var result = running.Result;
            counters.Done(command, result);
            replyTo.Tell(result, Self);
            return;
        }

        _overlapping++;
        _ = FinishOverlappingAsync(command, running, replyTo, Self, _incarnation);
    }

    /// <summary>
    /// <paramref name="result"/> once <paramref name="saved"/> is on a majority. Should that write fail, the answer goes
    /// anyway: the next owner then reports the attention once more, which an initiator takes as one more retry.
    /// </summary>
    private static async ValueTask<CommandComplete> AfterSavedAsync(CommandComplete result, Task saved)
    {
        await SavedOrLostAsync(saved);
        return result;
    }

    /// <summary>
    /// Answers an overlapping command where its medium operation ends. It runs outside the actor, where Akka's <c>Self</c>
    /// is not available, so the actor's reference comes as <paramref name="self"/>.
    /// </summary>
    private static async Task FinishOverlappingAsync(ExecuteCommand command, ValueTask<CommandComplete> running, IActorRef replyTo, IActorRef self, object incarnation)
    {
        var result = await running;
        replyTo.Tell(result, self);
        self.Tell(new OverlappedDone(command, result, incarnation), ActorRefs.NoSender);
    }

    /// <summary>SAM-5: a command that is not a SIMPLE medium transfer starts only once those before it have ended.</summary>
    private void BeginExclusive(object request, IActorRef replyTo)
    {
        if (request is ExecuteCommand command)
        {
            CountersOf(command).Submitted(command);
        }

        _exclusive = new Exclusive(request, replyTo);
        BecomeStacked(Exclusively);
        StartExclusiveWhenIdle();
    }

    private void StartExclusiveWhenIdle()
    {
        if (_exclusive is not { Started: false } exclusive || _overlapping > 0)
        {
            return;
        }

        exclusive.Started = true;
        if (exclusive.Request is TaskManagementRequest management)
        {
            // A reset may have saved unit state (mode pages back to their defaults): answered once that is on a majority.
            var done = _unit.Manage(management);
            if (_replication?.State.TakePendingWrite() is { } reset)
            {
                _ = CompleteManagementAsync(done, reset, Self, exclusive.ReplyTo, _incarnation);
                return;
            }

            Self.Tell(new ExclusiveDone(done, exclusive.ReplyTo, _incarnation));
            return;
        }

        var command = (ExecuteCommand)exclusive.Request;
        var running = RunAsync(command);
        var saved = running.IsCompleted ? _replication?.State.TakePendingWrite() : null;
        if (running.IsCompleted && saved is null)
        {
            FinishExclusive(new ExclusiveDone(running.Result, exclusive.ReplyTo, _incarnation));
            return;
        }

        _ = CompleteExclusiveAsync(running, saved, _replication, Self, exclusive.ReplyTo, _incarnation);
    }

    /// <summary>Waits for the command and, when it saved unit state, for that state to be on a majority.</summary>
    private static async Task CompleteExclusiveAsync(
        ValueTask<CommandComplete> running, Task? saved, LunReplication? replication, IActorRef self, IActorRef replyTo, object incarnation)
    {
        var result = await running;
        if ((saved ?? replication?.State.TakePendingWrite()) is { } pending)
        {
            try
            {
                await pending;
            }
            catch (ReplicationUnavailableException)
            {
                result = NotReady(result.TaskTag);
            }
        }

        self.Tell(new ExclusiveDone(result, replyTo, incarnation), ActorRefs.NoSender);
    }

    /// <summary>
    /// Answers a task management function once the unit state it saved is on a majority. Should the write fail, the
    /// function still happened here; the next owner holds the state as it was before it, which initiators learn of
    /// from the move's unit attentions.
    /// </summary>
    private static async Task CompleteManagementAsync(TaskManagementDone done, Task saved, IActorRef self, IActorRef replyTo, object incarnation)
    {
        await SavedOrLostAsync(saved);
        self.Tell(new ExclusiveDone(done, replyTo, incarnation), ActorRefs.NoSender);
    }

    /// <summary>Waits for a save of the unit's state; one the cluster could not take is given up (its answer goes anyway).</summary>
    private static async Task SavedOrLostAsync(Task saved)
    {
        try
        {
            await saved;
        }
        catch (ReplicationUnavailableException)
        {
        }
    }

    /// <summary>An exclusive command the actor started before its restart ended: its initiator still gets the answer.</summary>
    private void AnswerForEarlierIncarnation(ExclusiveDone done) => done.ReplyTo.Tell(done.Result, Self);

    private void FinishExclusive(ExclusiveDone done)
    {
        var exclusive = _exclusive!;
        _exclusive = null;
        if (exclusive.Request is ExecuteCommand command && done.Result is CommandComplete complete)
        {
            CountersOf(command).Done(command, complete);
        }

        exclusive.ReplyTo.Tell(done.Result, Self);
        UnbecomeStacked();
        Stash.UnstashAll();
    }

    /// <summary>
    /// Runs one command. A failing backing store ends only that command (ARCHITECTURE invariant 7); a replicated write
    /// the cluster could not acknowledge ends with NOT READY, ASYMMETRIC ACCESS STATE TRANSITION, which initiators retry.
    /// </summary>
    private async ValueTask<CommandComplete> RunAsync(ExecuteCommand command)
    {
        try
        {
            return await _unit.ExecuteAsync(command);
        }
        catch (ReplicationUnavailableException)
        {
            return NotReady(command.TaskTag);
        }
        catch (Exception e)
        {
            NodeLog.CommandFailed(_logger, command.Lun, command.TaskTag, e);
            return new CommandComplete(
                command.TaskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, SenseTable.BuildFixed(SenseReason.InternalTargetFailure), 0);
        }
    }

    private static CommandComplete NotReady(uint taskTag) =>
        new(taskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, SenseTable.BuildFixed(SenseReason.AsymmetricAccessStateTransition), 0);

    /// <summary>Counters are kept per I_T nexus: the initiator port, and the target port group (the node it came through).</summary>
    private static (string InitiatorPort, ushort TargetPortGroup) CountersKey(ITNexus nexus) => (nexus.InitiatorPortName, nexus.TargetPortGroup);

    private IoCounters CountersOf(ExecuteCommand command)
    {
        var key = CountersKey(command.Nexus);
        if (!_counters.TryGetValue(key, out var counters))
        {
            _counters[key] = counters = new IoCounters();
        }

        return counters;
    }

    private sealed class Exclusive(object request, IActorRef replyTo)
    {
        public object Request { get; } = request;

        public IActorRef ReplyTo { get; } = replyTo;

        public bool Started { get; set; }
    }

    /// <summary>The actor's note to itself to submit the writes staged so far (sent by <see cref="LunReplication"/>).</summary>
    public sealed class CommitStagedWrites
    {
        public static readonly CommitStagedWrites Instance = new();

        private CommitStagedWrites()
        {
        }
    }

    /// <summary>The cluster's membership changed: the LUN's port groups may have too.</summary>
    public sealed class PortGroupsChanged
    {
        public static readonly PortGroupsChanged Instance = new();

        private PortGroupsChanged()
        {
        }
    }

    /// <summary>The LUN left the configuration: its owner passivates (a later wake finds it absent).</summary>
    public sealed class Restart
    {
        public static readonly Restart Instance = new();

        private Restart()
        {
        }
    }

    /// <summary>The LUN's size changed: its replicated address space becomes <paramref name="ReplicatedBytes"/>.</summary>
    public sealed record Resize(long ReplicatedBytes);

    private sealed class AnnounceTick
    {
        public static readonly AnnounceTick Instance = new();
    }

    private sealed class ReplicationTick
    {
        public static readonly ReplicationTick Instance = new();
    }

    /// <summary>An overlapping command was answered; the actor counts it.</summary>
    private sealed record OverlappedDone(ExecuteCommand Command, CommandComplete Result, object Incarnation);

    /// <summary>The exclusive command or task management function ended with <paramref name="Result"/>, owed to <paramref name="ReplyTo"/>.</summary>
    private sealed record ExclusiveDone(object Result, IActorRef ReplyTo, object Incarnation);

    /// <summary>The LUN numbers of the unit's target, for REPORT LUNS.</summary>
    public sealed record SetInventory(IReadOnlyList<ulong> Luns);
}
