using Akka.Actor;
using Akka.Cluster.Tools.PublishSubscribe;
using IscsiCluster.Node.Luns;
using IscsiCluster.Cluster.Membership;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Forwarding;

/// <summary>
/// This node's door to one replicated LUN, wherever its owner runs. Sessions on this node send the LUN's commands here:
/// when the owner is on this node they go straight to it (and it answers the session itself); when it is on another
/// node they travel on the data connection, with their data, and the answer comes back here. While no owner can be
/// reached (none yet, its node lost, the data connection down) the port answers itself, from a unit that knows the
/// LUN's identity but reports every port transitioning: INQUIRY and REPORT TARGET PORT GROUPS work, everything else is
/// NOT READY, ASYMMETRIC ACCESS STATE TRANSITION, which initiators retry. Commands in flight when the owner is lost are
/// answered the same way, so no task waits forever.
/// <para>
/// On the owner's node the port also serves the other nodes: their forwarded commands go to the local owner with a task
/// tag of the port's own (tags are unique per session only), and the answers go back on the data connection.
/// </para>
/// </summary>
internal sealed class LunPort : ReceiveActor, IWithTimers
{
    private static readonly TimeSpan WakeInterval = TimeSpan.FromSeconds(1);

    private readonly ulong _lunId;
    private readonly int _self;
    private readonly IScsiUnit _fallback;
    private readonly Action<ulong> _wake;
    private readonly ForwardingEndpoint _endpoint;
    private readonly ClusterView _view;
    private readonly ILogger _logger;
    private readonly HashSet<IActorRef> _localSessions = [];
    private readonly Dictionary<long, Pending> _pending = [];
    private readonly Dictionary<uint, (int Node, long Correlation, uint Tag)> _served = [];
    private Owner? _owner;
    private long _nextCorrelation;
    private uint _nextTag;

    /// <param name="fallback">The unit that answers while no owner can be reached.</param>
    /// <param name="wake">Starts the LUN's owner (a message to its shard region).</param>
    public LunPort(ulong lunId, int self, IScsiUnit fallback, Action<ulong> wake, ForwardingEndpoint endpoint, ClusterView view, ILogger logger)
    {
        _lunId = lunId;
        _self = self;
        _fallback = fallback;
        _wake = wake;
        _endpoint = endpoint;
        _view = view;
        _logger = logger;

        Receive<ExecuteCommand>(OnCommand);
        Receive<TaskManagementRequest>(OnManagement);
        Receive<NexusLost>(OnNexusLost);
        Receive<LocalOwner>(local => SetOwner(new Owner(_self, local.Epoch, local.Actor, local.Serving, local.Bytes)));
        Receive<IsServed>(query => Sender.Tell(_owner is { Serving: true } owner && (query.Bytes is null || query.Bytes == owner.Bytes)));
        Receive<LunOwnerAnnounce>(OnAnnounce);
        Receive<RemoteAnswer>(OnRemoteAnswer);
        Receive<RemoteManagementAnswer>(OnRemoteManagementAnswer);
        Receive<RemoteCommand>(OnRemoteCommand);
        Receive<RemoteManagement>(OnRemoteManagement);
        Receive<CommandComplete>(OnServedAnswer);
        Receive<Terminated>(terminated =>
        {
            if (_owner?.Actor is { } actor && actor.Equals(terminated.ActorRef))
            {
                LoseOwner("the owner on this node stopped");
            }
        });
        Receive<Tick>(_ => CheckOwner());
        Receive<SubscribeAck>(_ => { });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The answer a command gets while the LUN has no reachable owner.</summary>
    public static CommandComplete NotReady(uint taskTag) =>
        new(taskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, SenseTable.BuildFixed(SenseReason.AsymmetricAccessStateTransition), 0);

    protected override void PreStart()
    {
        _endpoint.Register(_lunId, Self);
        DistributedPubSub.Get(Context.System).Mediator.Tell(new Subscribe(LunOwnerAnnounce.Topic, Self));
        _fallback.SetInventory([0]);
        Timers.StartPeriodicTimer(Tick.Instance, Tick.Instance, WakeInterval);
        _wake(_lunId);
    }

    protected override void PostStop()
    {
        _endpoint.Unregister(_lunId, Self);
        FailPending();
        TellSessionsTheirTasksAreLost();
    }

    private void OnCommand(ExecuteCommand command)
    {
        switch (_owner)
        {
            case { Actor: { } local }:
                _localSessions.Add(Sender);
                local.Forward(command);
                break;
            case { Node: var node } when node != _self:
                var correlation = ++_nextCorrelation;
                if (_endpoint.Send(node, new CommandFrame(correlation, _lunId, command)))
                {
                    _pending[correlation] = new Pending(Sender, command.TaskTag, null);
                }
                else
                {
                    Sender.Tell(NotReady(command.TaskTag));
                }

                break;
            default:
                AnswerLocally(command, Sender);
                break;
        }
    }

    private void OnManagement(TaskManagementRequest request)
    {
        switch (_owner)
        {
            case { Actor: { } local }:
                local.Forward(request);
                break;
            case { Node: var node } when node != _self:
                var correlation = ++_nextCorrelation;
                if (_endpoint.Send(node, ControlFrame.Management(correlation, _lunId, request)))
                {
                    _pending[correlation] = new Pending(Sender, 0, request.Function);
                }
                else
                {
                    Sender.Tell(new TaskManagementDone(request.Function, TaskManagementResponse.FunctionRejected));
                }

                break;
            default:
                Sender.Tell(_fallback.Manage(request));
                break;
        }
    }

    private void OnNexusLost(NexusLost lost)
    {
        _localSessions.Remove(Sender);
        switch (_owner)
        {
            case { Actor: { } local }:
                local.Tell(lost);
                break;
            case { Node: var node } when node != _self:
                _endpoint.Send(node, ControlFrame.NexusLost(_lunId, lost.Nexus));
                break;
        }
    }

    private void OnAnnounce(LunOwnerAnnounce announce)
    {
        if (announce.LunId != _lunId || announce.Node == _self)
        {
            return;
        }

        // The newest epoch wins; an older owner's late announcement changes nothing. The same owner in the same epoch
        // announces again when it starts serving or the LUN's size changes.
        if (_owner is null || announce.Epoch > _owner.Epoch || (announce.Epoch == _owner.Epoch && _owner.Actor is null))
        {
            SetOwner(new Owner(announce.Node, announce.Epoch, null, announce.Serving, announce.Bytes));
        }
    }

    private void SetOwner(Owner owner)
    {
        if (_owner is { } current && current.Node == owner.Node && Equals(current.Actor, owner.Actor))
        {
            _owner = owner;
            return;
        }

        if (_owner is not null)
        {
            LoseOwner($"the owner moved to node-{owner.Node}");
        }

        _owner = owner;
        if (owner.Actor is { } actor)
        {
            Context.Watch(actor);
        }

        ForwardingLog.OwnerFound(_logger, _lunId, owner.Node, owner.Epoch);
    }

    /// <summary>The owner cannot be reached (or moved): everything sent to it is answered NOT READY here.</summary>
    private void LoseOwner(string reason)
    {
        if (_owner is null)
        {
            return;
        }

        if (_owner.Actor is { } actor)
        {
            Context.Unwatch(actor);
            TellSessionsTheirTasksAreLost();
        }

        ForwardingLog.OwnerLost(_logger, _lunId, _owner.Node, reason);
        _owner = null;
        FailPending();
        _wake(_lunId);
    }

    private void CheckOwner()
    {
        if (_owner is { } owner && owner.Node != _self && _view.StateOf(owner.Node) != NodeState.Up)
        {
            LoseOwner($"node-{owner.Node} is {_view.StateOf(owner.Node)}");
        }

        if (_owner is null)
        {
            _wake(_lunId);
        }
    }

    private void OnRemoteAnswer(RemoteAnswer answer)
    {
        if (_pending.Remove(answer.Correlation, out var pending))
        {
            pending.ReplyTo.Tell(answer.Complete with { TaskTag = pending.Tag });
        }
    }

    private void OnRemoteManagementAnswer(RemoteManagementAnswer answer)
    {
        if (_pending.Remove(answer.Correlation, out var pending))
        {
            pending.ReplyTo.Tell(answer.Done);
        }
    }

    /// <summary>A command another node forwarded to the owner, which runs here (or ran here until just now).</summary>
    private void OnRemoteCommand(RemoteCommand remote)
    {
        if (_owner is not { Actor: { } local })
        {
            _endpoint.Send(remote.From, new AnswerFrame(remote.Correlation, _lunId, NotReady(remote.Command.TaskTag)));
            return;
        }

        var tag = ++_nextTag;
        _served[tag] = (remote.From, remote.Correlation, remote.Command.TaskTag);
        local.Tell(remote.Command with { TaskTag = tag }, Self);
    }

    private void OnRemoteManagement(RemoteManagement remote)
    {
        var done = _owner is { Actor: { } local }
            ? local.Ask<TaskManagementDone>(remote.Request, TimeSpan.FromSeconds(30))
            : Task.FromResult(new TaskManagementDone(remote.Request.Function, TaskManagementResponse.FunctionRejected));
        var endpoint = _endpoint;
        var lunId = _lunId;
        done.ContinueWith(
            task => endpoint.Send(remote.From, ControlFrame.ManagementAnswer(remote.Correlation, lunId,
                task.IsCompletedSuccessfully ? task.Result : new TaskManagementDone(remote.Request.Function, TaskManagementResponse.FunctionRejected))),
            TaskScheduler.Default);
    }

    /// <summary>The local owner answered a command another node forwarded: back it goes, with its own tag.</summary>
    private void OnServedAnswer(CommandComplete complete)
    {
        if (!_served.Remove(complete.TaskTag, out var served))
        {
            complete.DataInRelease?.Invoke();
            return;
        }

        var frame = new AnswerFrame(served.Correlation, _lunId, complete with { TaskTag = served.Tag });
        if (!_endpoint.Send(served.Node, frame))
        {
            frame.Release();
        }
    }

    private void AnswerLocally(ExecuteCommand command, IActorRef replyTo)
    {
        var running = _fallback.ExecuteAsync(command);
        if (running.IsCompleted)
        {
            replyTo.Tell(running.Result);
            return;
        }

        running.AsTask().ContinueWith(task => replyTo.Tell(task.IsCompletedSuccessfully ? task.Result : NotReady(command.TaskTag)), TaskScheduler.Default);
    }

    private void FailPending()
    {
        foreach (var pending in _pending.Values)
        {
            pending.ReplyTo.Tell(pending.Function is { } function
                ? new TaskManagementDone(function, TaskManagementResponse.FunctionRejected)
                : NotReady(pending.Tag));
        }

        _pending.Clear();

        // Commands other nodes forwarded to the owner that was here: it is gone, and its answers with it.
        foreach (var (_, (node, correlation, tag)) in _served)
        {
            _endpoint.Send(node, new AnswerFrame(correlation, _lunId, NotReady(tag)));
        }

        _served.Clear();
    }

    private void TellSessionsTheirTasksAreLost()
    {
        foreach (var session in _localSessions)
        {
            session.Tell(new LunTasksLost(Self));
        }

        _localSessions.Clear();
    }

    private sealed record Owner(int Node, long Epoch, IActorRef? Actor, bool Serving, long Bytes);

    private sealed record Pending(IActorRef ReplyTo, uint Tag, TaskManagementFunction? Function);

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    /// <summary>The owner on this node says it is here, serving a replicated address space of <paramref name="Bytes"/>.</summary>
    public sealed record LocalOwner(IActorRef Actor, long Epoch, bool Serving, long Bytes);

    /// <summary>
    /// Asks whether commands through this port reach an owner that serves (at a replicated size of <paramref name="Bytes"/>,
    /// when given: a resized LUN is served once its new owner is); the answer is a bool.
    /// </summary>
    public sealed record IsServed(long? Bytes = null)
    {
        public static readonly IsServed Any = new();
    }

    public sealed record RemoteCommand(int From, long Correlation, ExecuteCommand Command);

    public sealed record RemoteAnswer(int From, long Correlation, CommandComplete Complete);

    public sealed record RemoteManagement(int From, long Correlation, TaskManagementRequest Request);

    public sealed record RemoteManagementAnswer(int From, long Correlation, TaskManagementDone Done);
}

/// <summary>The owner of a LUN tells every node where it is (DistributedPubSub topic <see cref="Topic"/>).</summary>
public sealed record LunOwnerAnnounce(ulong LunId, int Node, long Epoch, bool Serving, long Bytes) : Cluster.IClusterMessage
{
    public const string Topic = "iscsi-cluster.lun-owners";
}
