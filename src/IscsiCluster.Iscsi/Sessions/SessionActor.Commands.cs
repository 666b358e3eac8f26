using System.Diagnostics.CodeAnalysis;
using System.Buffers.Binary;
using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>SCSI Command and Data-Out: admission, data gathering, R2Ts and hand-off to the LUN (RFC 7143 11.3, 11.7, 11.8).</summary>
internal sealed partial class SessionActor
{
    private void HandleScsiCommand(ScsiCommandPdu command)
    {
        if (_parameters.IsDiscovery)
        {
            // RFC 7143 4.3: a discovery session carries only Text, Logout and NOP PDUs.
            SendReject(RejectReason.ProtocolError, command);
            return;
        }

        if (_tasks.ContainsKey(command.InitiatorTaskTag))
        {
            if (Warn("task tag in use"))
            {
                _logger.DuplicateTaskTag(SessionName, command.InitiatorTaskTag);
            }

            SendReject(RejectReason.TaskInProgress, command);
            return;
        }

        if (!ImmediateCommandAllowed(command))
        {
            return;
        }

        if (!command.Immediate && !SerialNumber.InWindow(command.CmdSN, ExpCmdSn, MaxCmdSn))
        {
            if (Warn("command outside the CmdSN window"))
            {
                _logger.CommandDropped(SessionName, command.CmdSN, ExpCmdSn, MaxCmdSn, WindowVerdict.OutsideWindow);
            }

            return;
        }

        if (!TryCreateTask(command, out var task, out var refusal))
        {
            RefuseCommand(command, refusal);
            return;
        }

        if (!TryReserveTransfer(task))
        {
            _logger.TransferRefused(SessionName, command.InitiatorTaskTag, task.ExpectedLength, HeldTransferBytes);
            RefuseCommand(command, ScsiStatus.TaskSetFull, ReadOnlyMemory<byte>.Empty);
            return;
        }

        if (!command.Immediate && !TryOffer(command.CmdSN, task))
        {
            ReleaseTransfer(task);
            return;
        }

        AddTask(task);
        if (task.DataOut is { } dataOut)
        {
            var error = dataOut.AcceptImmediate(command.Data);
            if (error != DataOutError.None)
            {
                if (Warn("bad data-out"))
                {
                    _logger.BadDataOut(SessionName, task.InitiatorTaskTag, error);
                }

                SendReject(RejectReason.ProtocolError, command);
            }

            SolicitData(task);
        }
        else if (!command.Data.IsEmpty)
        {
            // RFC 7143 11.3.6: immediate data needs the W bit.
            if (Warn("bad data-out"))
            {
                _logger.BadDataOut(SessionName, task.InitiatorTaskTag, DataOutError.UnexpectedData);
            }

            SendReject(RejectReason.ProtocolError, command);
        }

        if (task.Immediate)
        {
            if (task.DataComplete)
            {
                Execute(task);
            }
        }
        else
        {
            Deliver();
        }
    }

    /// <summary>Builds the task for a command, or says why the command is refused before it reaches a LUN.</summary>
    private bool TryCreateTask(ScsiCommandPdu command, [NotNullWhen(true)] out ScsiTask? task, out SenseProblem refusal)
    {
        task = null;
        refusal = default;
        if (command.Read && command.Write)
        {
            // Bidirectional commands are not supported (no SCSI command of this target has both).
            refusal = SenseProblem.CdbField(0);
            return false;
        }

        if (command.ExpectedDataTransferLength > (uint)_settings.MaxDataTransferLength)
        {
            refusal = new SenseProblem(SenseReason.InvalidFieldInCommandInformationUnit);
            return false;
        }

        var expectedLength = (int)command.ExpectedDataTransferLength;
        var (lun, lunActor) = ResolveLun(command.Lun);
        var dataOut = command.Write && expectedLength > 0
            ? new DataOutCollector(expectedLength, _negotiated.DataOutLimits, unsolicitedFollows: !command.Final && !_negotiated.InitialR2T)
            : null;
        task = new ScsiTask(command.InitiatorTaskTag, command.Immediate, command.Lun, lun, lunActor)
        {
            Cdb = command.Cdb,
            Attribute = ToSamAttribute(command.Attribute),
            ExpectedLength = expectedLength,
            IsRead = command.Read,
            DataOut = dataOut,
        };
        return true;
    }

    /// <summary>
    /// The LUN actor for a LUN field: a mapped LUN's actor, or the absent-LUN actor (which answers
    /// as SPC-4 prescribes for a LUN that is not there) for unmapped LUNs and address forms this
    /// target does not use.
    /// </summary>
    private (ulong Lun, IActorRef Actor) ResolveLun(ulong field)
    {
        if (!TryDecodeLun(field, out var lun))
        {
            return (field, _parameters.Target!.AbsentLun);
        }

        return (lun, _luns.TryGetValue(lun, out var actor) ? actor : _parameters.Target!.AbsentLun);
    }

    /// <summary>Decodes the 8-byte LUN field of a PDU (RFC 7143 11.3.4; SAM-5 4.7).</summary>
    private static bool TryDecodeLun(ulong field, out ulong lun)
    {
        Span<byte> bytes = stackalloc byte[LunAddress.Length];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, field);
        return LunAddress.TryDecode(bytes, out lun);
    }

    private static TaskAttribute ToSamAttribute(ScsiTaskAttribute attribute) => attribute switch
    {
        ScsiTaskAttribute.Ordered => TaskAttribute.Ordered,
        ScsiTaskAttribute.HeadOfQueue => TaskAttribute.HeadOfQueue,
        ScsiTaskAttribute.Aca => TaskAttribute.Aca,

        // RFC 7143 11.3.1.4: untagged tasks are treated as simple.
        _ => TaskAttribute.Simple,
    };

    /// <summary>Ends a command the session refuses with CHECK CONDITION (it still takes its CmdSN).</summary>
    private void RefuseCommand(ScsiCommandPdu command, SenseProblem problem)
    {
        if (Warn("command refused"))
        {
            _logger.CommandRefused(SessionName, command.InitiatorTaskTag, problem.Reason);
        }

        RefuseCommand(command, ScsiStatus.CheckCondition, SenseTable.BuildFixed(problem));
    }

    /// <summary>Ends a command the session refuses with <paramref name="status"/> (it still takes its CmdSN).</summary>
    private void RefuseCommand(ScsiCommandPdu command, ScsiStatus status, ReadOnlyMemory<byte> sense)
    {
        if (!command.Immediate && _window.Offer(command.CmdSN, RefusedCommand.Instance) == WindowVerdict.Accepted)
        {
            Deliver();
        }

        SendResponse(command.InitiatorTaskTag, status, sense, overflow: false, underflow: false, residual: 0);
    }

    /// <summary>
    /// A SCSI Command whose immediate data failed its digest was rejected (RFC 7143 7.8); its
    /// header is sound, so rather than leave its CmdSN a hole that stalls every later command
    /// (the initiator at ErrorRecoveryLevel 0 has no way to resend it), the command counts as
    /// received and ends with CHECK CONDITION, PROTOCOL SERVICE CRC ERROR (RFC 7143 11.4.7.2),
    /// which the initiator's SCSI layer retries.
    /// </summary>
    private void EndCorruptCommand(ReadOnlySpan<byte> header)
    {
        if (_parameters.IsDiscovery || !ScsiCommandPdu.TryReadHeader(header, out var command))
        {
            return;
        }

        if (_tasks.ContainsKey(command.InitiatorTaskTag))
        {
            return;
        }

        if (!command.Immediate && !SerialNumber.InWindow(command.CmdSN, ExpCmdSn, MaxCmdSn))
        {
            if (Warn("command outside the CmdSN window"))
            {
                _logger.CommandDropped(SessionName, command.CmdSN, ExpCmdSn, MaxCmdSn, WindowVerdict.OutsideWindow);
            }

            return;
        }

        RefuseCommand(command, new SenseProblem(SenseReason.ProtocolServiceCrcError));
    }

    /// <summary>
    /// A Data-Out whose data failed its digest was rejected (RFC 7143 7.8). Its header is sound:
    /// the bytes it stood for count as received (as zeros, never written), so the task's data
    /// completes, and the task then ends with CHECK CONDITION, PROTOCOL SERVICE CRC ERROR
    /// (RFC 7143 7.8 b, 11.4.7.2) instead of reaching its LUN.
    /// </summary>
    private void TakeCorruptDataOut(ReadOnlySpan<byte> header)
    {
        var dataOut = ScsiDataOutPdu.ReadHeader(header);
        if (_tasks.TryGetValue(dataOut.InitiatorTaskTag, out var task) && task.Stage == TaskStage.Waiting && task.DataOut is not null)
        {
            task.DataDigestFailed = true;
            HandleDataOut(dataOut);
        }
    }

    private void HandleDataOut(ScsiDataOutPdu dataOut)
    {
        if (!_tasks.TryGetValue(dataOut.InitiatorTaskTag, out var task) || task.DataOut is not { } collector)
        {
            // Data for a task that was aborted (or never existed): RFC 7143 11.7 leaves it to be discarded.
            _logger.DataOutForUnknownTask(SessionName, dataOut.InitiatorTaskTag);
            return;
        }

        if (task.Stage != TaskStage.Waiting)
        {
            return;
        }

        var error = dataOut.BufferOffset > int.MaxValue
            ? DataOutError.BeyondLimit
            : dataOut.TargetTransferTag == BasicHeaderSegment.ReservedTag
                ? collector.AcceptUnsolicited(dataOut.DataSN, (int)dataOut.BufferOffset, dataOut.Data.Span, dataOut.Final)
                : collector.AcceptSolicited(dataOut.TargetTransferTag, dataOut.DataSN, (int)dataOut.BufferOffset, dataOut.Data.Span, dataOut.Final);
        if (error != DataOutError.None)
        {
            if (Warn("bad data-out"))
            {
                _logger.BadDataOut(SessionName, task.InitiatorTaskTag, error);
            }

            SendReject(RejectReason.ProtocolError, dataOut);
            return;
        }

        task.LastDataAt = Environment.TickCount64;
        if (!collector.IsComplete)
        {
            SolicitData(task);
            return;
        }

        if (task.Immediate)
        {
            Execute(task);
        }
        else if (StopAwaitingData(task))
        {
            Execute(task);
            Deliver();
        }
        else
        {
            Deliver();
        }
    }

    /// <summary>Sends the R2Ts now due for a task (RFC 7143 11.8).</summary>
    private void SolicitData(ScsiTask task)
    {
        var collector = task.DataOut!;
        while (collector.TryPlanR2T(NextTransferTag(), out var plan))
        {
            _connection.Send(new ReadyToTransferPdu
            {
                Lun = task.LunField,
                InitiatorTaskTag = task.InitiatorTaskTag,
                TargetTransferTag = plan.TargetTransferTag,
                StatSN = _statSn,
                ExpCmdSN = ExpCmdSn,
                MaxCmdSN = MaxCmdSn,
                R2TSN = plan.R2TSn,
                BufferOffset = (uint)plan.BufferOffset,
                DesiredDataTransferLength = (uint)plan.DesiredLength,
            });
        }
    }

    /// <summary>Hands a task whose turn has come and whose data is in to its LUN actor.</summary>
    private void Execute(ScsiTask task)
    {
        if (task.DataDigestFailed)
        {
            EndWithCrcError(task);
            return;
        }

        task.Stage = TaskStage.AtLun;
        _lunsUsed.Add(task.LunActor);
        task.LunActor.Tell(
            new ExecuteCommand(
                _parameters.Nexus!,
                task.Lun,
                task.InitiatorTaskTag,
                task.Attribute,
                task.Cdb,
                task.DataOut?.Buffer ?? ReadOnlyMemory<byte>.Empty,
                task.IsRead ? task.ExpectedLength : 0),
            Self);
    }

    /// <summary>A task whose data-out was corrupt in transit ends in its turn without reaching its LUN.</summary>
    private void EndWithCrcError(ScsiTask task)
    {
        var problem = new SenseProblem(SenseReason.ProtocolServiceCrcError);
        if (Warn("command refused"))
        {
            _logger.CommandRefused(SessionName, task.InitiatorTaskTag, problem.Reason);
        }

        _tasks.Remove(task.InitiatorTaskTag);
        if (!task.Immediate)
        {
            _window.Complete();
        }

        SendResponse(task.InitiatorTaskTag, ScsiStatus.CheckCondition, SenseTable.BuildFixed(problem), overflow: false, underflow: false, residual: 0);
        task.DataOut?.ReleaseBuffer();
        AnswerLogoutIfIdle();
    }

    /// <summary>
    /// The LUN will never answer the tasks it holds (its owner moved or stopped): each ends with NOT READY, ASYMMETRIC
    /// ACCESS STATE TRANSITION (SPC-4 5.15.2.4.6), which initiators retry, as if the LUN had answered so itself.
    /// </summary>
    private void HandleLunTasksLost(LunTasksLost lost)
    {
        foreach (var task in _tasks.Values.Where(t => t.Stage == TaskStage.AtLun && t.LunActor.Equals(lost.Lun)).ToList())
        {
            HandleCommandComplete(new CommandComplete(
                task.InitiatorTaskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty, SenseTable.BuildFixed(SenseReason.AsymmetricAccessStateTransition), 0));
        }
    }

    private void HandleCommandComplete(CommandComplete complete)
    {
        if (!_tasks.TryGetValue(complete.TaskTag, out var task) || task.Stage != TaskStage.AtLun)
        {
            // The task was aborted: its status is never sent (RFC 7143 11.5.1).
            complete.DataInRelease?.Invoke();
            return;
        }

        // A read's data stays held (and counted) until its Data-In PDUs are encoded.
        var readData = task.IsRead ? task.ReservedBytes : 0;
        RemoveTask(complete.TaskTag, out _, keepTransfer: readData > 0);
        if (!task.Immediate)
        {
            _window.Complete();
        }

        SendCompletion(task, complete);
        if (complete.DataInRelease is { } release)
        {
            // The buffer is free once the outbox has encoded the Data-In PDUs: at
            // ErrorRecoveryLevel 0 no Data-In is ever sent again (a target offering ERL 1 would
            // keep it until the initiator acknowledged the data, RFC 7143 11.16.3).
            _connection.AfterQueued(release);
        }

        if (readData > 0)
        {
            task.ReservedBytes = 0;
            _connection.AfterQueued(() => ReleaseHeld(readData));
        }

        // The LUN is done with the data-out buffer; an aborted task never gets here, so a
        // buffer a LUN may still read is never reused.
        task.DataOut?.ReleaseBuffer();
        AnswerLogoutIfIdle();
    }
}

/// <summary>A window entry for a command refused before it became a task: it only holds its CmdSN.</summary>
internal sealed record RefusedCommand
{
    public static readonly RefusedCommand Instance = new();

    private RefusedCommand()
    {
    }
}
