using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// What a session may hold (<c>iscsi-cluster.iscsi.limits</c>): the bytes of write and read
/// data of its commands (its own share and the node's <see cref="TransferBudget"/>), immediate
/// commands, and write data that stops arriving.
/// </summary>
internal sealed partial class SessionActor
{
    private static readonly TimeSpan MaxDataOutTick = TimeSpan.FromSeconds(1);

    // Touched by the actor and by the outbox's writer (a read's data is given back once encoded).
    private long _heldTransferBytes;
    private int _immediateTasks;

    /// <summary>Bytes of write and read data this session holds now.</summary>
    private long HeldTransferBytes => Interlocked.Read(ref _heldTransferBytes);

    /// <summary>
    /// Reserves the data buffer of a command: its whole transfer length, from the session's
    /// share, its initiator's and the node's. False when any is spent: the command is then refused with
    /// TASK SET FULL (SAM-5 5.3.1), which the initiator retries once earlier commands are done.
    /// </summary>
    private bool TryReserveTransfer(ScsiTask task)
    {
        var bytes = (long)task.ExpectedLength;
        if (bytes == 0 || (!task.IsRead && task.DataOut is null))
        {
            return true;
        }

        if (HeldTransferBytes + bytes > _settings.Limits.SessionTransferBytes || !_transfers.TryReserve(_parameters.Key.InitiatorName, bytes))
        {
            return false;
        }

        Interlocked.Add(ref _heldTransferBytes, bytes);
        task.ReservedBytes = bytes;
        return true;
    }

    /// <summary>Gives back what a task reserved, at once.</summary>
    private void ReleaseTransfer(ScsiTask task)
    {
        var bytes = task.ReservedBytes;
        task.ReservedBytes = 0;
        ReleaseHeld(bytes);
    }

    /// <summary>
    /// Gives back <paramref name="bytes"/> the session holds, never more than it still holds
    /// (PostStop gives back everything at once, and a read's late release must not count twice).
    /// Safe on any thread.
    /// </summary>
    private void ReleaseHeld(long bytes)
    {
        var held = Interlocked.Read(ref _heldTransferBytes);
        while (bytes > 0 && held > 0)
        {
            var take = Math.Min(held, bytes);
            var previous = Interlocked.CompareExchange(ref _heldTransferBytes, held - take, held);
            if (previous == held)
            {
                _transfers.Release(_parameters.Key.InitiatorName, take);
                return;
            }

            held = previous;
        }
    }

    /// <summary>Gives back everything the session still holds (it is stopping).</summary>
    private void ReleaseAllTransfers() => _transfers.Release(_parameters.Key.InitiatorName, Interlocked.Exchange(ref _heldTransferBytes, 0));

    /// <summary>Whether one more immediate command may start (RFC 7143 3.2.2.1 leaves their number to the target).</summary>
    private bool ImmediateCommandAllowed(ScsiCommandPdu command)
    {
        if (!command.Immediate || _immediateTasks < _settings.Limits.MaxImmediateCommands)
        {
            return true;
        }

        // RFC 7143 11.17.1: reason 0x06, immediate command reject - too many immediate commands.
        _logger.ImmediateRejected(SessionName, command.InitiatorTaskTag, _immediateTasks);
        SendReject(RejectReason.ImmediateCommandRejected, command);
        return false;
    }

    /// <summary>Records a new task of the session.</summary>
    private void AddTask(ScsiTask task)
    {
        _tasks.Add(task.InitiatorTaskTag, task);
        if (task.Immediate)
        {
            _immediateTasks++;
        }
    }

    /// <summary>Removes a task that has ended (or was aborted) and gives back its data reservation unless <paramref name="keepTransfer"/>.</summary>
    private bool RemoveTask(uint tag, out ScsiTask? task, bool keepTransfer = false)
    {
        if (!_tasks.Remove(tag, out task))
        {
            return false;
        }

        if (task.Immediate)
        {
            _immediateTasks--;
        }

        if (!keepTransfer)
        {
            ReleaseTransfer(task);
        }

        return true;
    }

    /// <summary>Takes a task off the delivered-but-waiting-for-data list; false if it was not on it.</summary>
    private bool StopAwaitingData(ScsiTask task)
    {
        if (!task.AwaitingData)
        {
            return false;
        }

        task.AwaitingData = false;
        _tasksAwaitingData--;
        return true;
    }

    private void StartDataOutTimer()
    {
        if (_parameters.IsDiscovery)
        {
            return;
        }

        var timeout = _settings.Limits.DataOutTimeout;
        var tick = TimeSpan.FromTicks(Math.Max(MinimumPingTick.Ticks, Math.Min(MaxDataOutTick.Ticks, timeout.Ticks / 4)));
        Timers.StartPeriodicTimer(DataOutTick.Instance, DataOutTick.Instance, tick);
    }

    /// <summary>
    /// Ends the writes whose Data-Out stopped arriving more than data-out-timeout ago: each ends
    /// with CHECK CONDITION, ABORTED COMMAND / INITIATOR RESPONSE TIMEOUT (SPC-4 4Bh/06h), its
    /// buffer is freed, and its window slot opens when its CmdSN turn comes, so later commands
    /// are not held behind it.
    /// </summary>
    private void HandleDataOutTick()
    {
        var now = Environment.TickCount64;
        var limit = (long)_settings.Limits.DataOutTimeout.TotalMilliseconds;
        List<ScsiTask>? expired = null;
        foreach (var task in _tasks.Values)
        {
            if (task.Stage == TaskStage.Waiting && task.DataOut is { IsComplete: false } && now - task.LastDataAt >= limit)
            {
                (expired ??= []).Add(task);
            }
        }

        if (expired is null)
        {
            return;
        }

        foreach (var task in expired)
        {
            _logger.DataOutTimedOut(SessionName, task.InitiatorTaskTag, _settings.Limits.DataOutTimeout, task.DataOut!.Received, task.ExpectedLength);
            task.Stage = TaskStage.Aborted;
            RemoveTask(task.InitiatorTaskTag, out _);
            if (StopAwaitingData(task))
            {
                // Already past its CmdSN turn: its window slot opens now.
                _window.Complete();
            }

            // Not at a LUN: nothing reads the buffer any more.
            task.DataOut.ReleaseBuffer();
            SendResponse(
                task.InitiatorTaskTag,
                ScsiStatus.CheckCondition,
                SenseTable.BuildFixed(SenseReason.InitiatorResponseTimeout),
                overflow: false,
                underflow: false,
                residual: 0);
        }

        Deliver();
        AnswerLogoutIfIdle();
    }
}

/// <summary>The session's periodic look for writes whose data stopped arriving.</summary>
internal sealed record DataOutTick
{
    public static readonly DataOutTick Instance = new();

    private DataOutTick()
    {
    }
}
