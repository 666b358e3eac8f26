using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Scsi.Sam;
using ProtocolFunction = IscsiCluster.Iscsi.Protocol.Pdus.TaskManagementFunction;
using SamFunction = IscsiCluster.Scsi.Sam.TaskManagementFunction;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>
/// Task Management Function Requests (RFC 7143 11.5, 11.6; RFC 7144 section 5 for the QUERY
/// functions). Tasks still in the session (waiting for their turn or their data) are aborted
/// here; tasks at a LUN are aborted by asking the LUN actor. Once an abort is answered, no
/// SCSI Response is ever sent for the tasks it covered.
/// </summary>
internal sealed partial class SessionActor
{
    // RFC 7144 5.1: function codes beyond RFC 7143's eight.
    private const byte QueryTaskCode = 9;
    private const byte QueryTaskSetCode = 10;
    private const byte ITNexusResetCode = 11;
    private const byte QueryAsynchronousEventCode = 12;

    private void HandleTaskManagement(TaskManagementRequestPdu request)
    {
        if (_parameters.IsDiscovery)
        {
            SendReject(RejectReason.ProtocolError, request);
            return;
        }

        LogTaskManagement(request);
        switch ((byte)request.Function)
        {
            case (byte)ProtocolFunction.AbortTask:
                AbortTask(request);
                break;
            case (byte)ProtocolFunction.AbortTaskSet:
                LunWide(request, SamFunction.AbortTaskSet);
                break;
            case (byte)ProtocolFunction.ClearTaskSet:
                LunWide(request, SamFunction.ClearTaskSet);
                break;
            case (byte)ProtocolFunction.LogicalUnitReset:
                LunWide(request, SamFunction.LogicalUnitReset);
                break;
            case (byte)ProtocolFunction.ClearAca:
                ForwardToLun(request, SamFunction.ClearAca, referencedTaskTag: 0);
                break;
            case (byte)ProtocolFunction.TargetWarmReset:
                TargetWide(request, SamFunction.TargetWarmReset);
                break;
            case (byte)ProtocolFunction.TargetColdReset:
                TargetWide(request, SamFunction.TargetColdReset);
                break;
            case (byte)ProtocolFunction.TaskReassign:
                // RFC 7143 11.5.1: below ErrorRecoveryLevel 2 there is no task reassignment.
                AnswerTaskManagement(request, TaskManagementResponseCode.TaskAllegianceReassignmentNotSupported);
                break;
            case QueryTaskCode:
                QueryTask(request);
                break;
            case QueryTaskSetCode:
                ForwardToLun(request, SamFunction.QueryTaskSet, referencedTaskTag: 0);
                break;
            case QueryAsynchronousEventCode:
                ForwardToLun(request, SamFunction.QueryAsynchronousEvent, referencedTaskTag: 0);
                break;
            case ITNexusResetCode:
                AnswerTaskManagement(request, TaskManagementResponseCode.FunctionNotSupported);
                break;
            default:
                AnswerTaskManagement(request, TaskManagementResponseCode.FunctionRejected);
                break;
        }
    }

    /// <summary>
    /// Task management changes what other sessions see (their tasks aborted, unit attentions), so
    /// each request is logged with who asked, what and where; a flood of one function is counted.
    /// </summary>
    private void LogTaskManagement(TaskManagementRequestPdu request)
    {
        var function = FunctionName((byte)request.Function);
        if (Warn("task management " + function))
        {
            var lun = TryDecodeLun(request.Lun, out var decoded) ? decoded : request.Lun;
            var initiator = _parameters.Initiator.EndPoint is { } endPoint
                ? $"{_parameters.Initiator.InitiatorName} at {endPoint}"
                : _parameters.Initiator.InitiatorName;
            _logger.TaskManagementRequested(SessionName, function, initiator, lun, request.ReferencedTaskTag);
        }
    }

    private static string FunctionName(byte code) => code switch
    {
        (byte)ProtocolFunction.AbortTask => "ABORT TASK",
        (byte)ProtocolFunction.AbortTaskSet => "ABORT TASK SET",
        (byte)ProtocolFunction.ClearAca => "CLEAR ACA",
        (byte)ProtocolFunction.ClearTaskSet => "CLEAR TASK SET",
        (byte)ProtocolFunction.LogicalUnitReset => "LOGICAL UNIT RESET",
        (byte)ProtocolFunction.TargetWarmReset => "TARGET WARM RESET",
        (byte)ProtocolFunction.TargetColdReset => "TARGET COLD RESET",
        (byte)ProtocolFunction.TaskReassign => "TASK REASSIGN",
        QueryTaskCode => "QUERY TASK",
        QueryTaskSetCode => "QUERY TASK SET",
        ITNexusResetCode => "I_T NEXUS RESET",
        QueryAsynchronousEventCode => "QUERY ASYNCHRONOUS EVENT",
        _ => $"function {code}",
    };

    private void AbortTask(TaskManagementRequestPdu request)
    {
        if (!_tasks.TryGetValue(request.ReferencedTaskTag, out var task))
        {
            // RFC 7143 11.5.1 b) and c): a command not yet received but inside the window and
            // older than this request is taken as received (and so never executed).
            if (SerialNumber.InWindow(request.RefCmdSN, ExpCmdSn, MaxCmdSn) && SerialNumber.LessThan(request.RefCmdSN, request.CmdSN)
                && _window.Offer(request.RefCmdSN, RefusedCommand.Instance) == WindowVerdict.Accepted)
            {
                Deliver();
                AnswerTaskManagement(request, TaskManagementResponseCode.FunctionComplete);
                return;
            }

            AnswerTaskManagement(request, TaskManagementResponseCode.TaskDoesNotExist);
            return;
        }

        if (task.Stage == TaskStage.Waiting)
        {
            AbortInSession(task);
            Deliver();
            AnswerTaskManagement(request, TaskManagementResponseCode.FunctionComplete);
            return;
        }

        AskLuns(request, [(task.LunActor, new TaskManagementRequest(_parameters.Nexus!, task.Lun, SamFunction.AbortTask, task.InitiatorTaskTag))], [task.InitiatorTaskTag]);
    }

    private void QueryTask(TaskManagementRequestPdu request)
    {
        if (!_tasks.TryGetValue(request.ReferencedTaskTag, out var task))
        {
            // SAM-5 7.9: FUNCTION COMPLETE means the task does not exist.
            AnswerTaskManagement(request, TaskManagementResponseCode.FunctionComplete);
            return;
        }

        if (task.Stage == TaskStage.Waiting)
        {
            AnswerTaskManagement(request, (TaskManagementResponseCode)TaskManagementResponse.FunctionSucceeded);
            return;
        }

        AskLuns(request, [(task.LunActor, new TaskManagementRequest(_parameters.Nexus!, task.Lun, SamFunction.QueryTask, task.InitiatorTaskTag))], []);
    }

    /// <summary>ABORT TASK SET, CLEAR TASK SET and LOGICAL UNIT RESET: every task of this session at the LUN ends.</summary>
    private void LunWide(TaskManagementRequestPdu request, SamFunction function)
    {
        if (!TryResolveMappedLun(request.Lun, out var lun, out var actor))
        {
            AnswerTaskManagement(request, TaskManagementResponseCode.LunDoesNotExist);
            return;
        }

        var atLun = AbortSessionTasks(task => task.Lun == lun && task.LunActor.Equals(actor));
        AskLuns(request, [(actor, new TaskManagementRequest(_parameters.Nexus!, lun, function, 0))], atLun);
    }

    /// <summary>TARGET WARM RESET and TARGET COLD RESET: every LUN of the target is reset.</summary>
    private void TargetWide(TaskManagementRequestPdu request, SamFunction function)
    {
        var atLun = AbortSessionTasks(_ => true);
        var asks = _luns.Select(entry => (entry.Value, new TaskManagementRequest(_parameters.Nexus!, entry.Key, function, 0))).ToArray();
        AskLuns(request, asks, atLun);
    }

    private void ForwardToLun(TaskManagementRequestPdu request, SamFunction function, uint referencedTaskTag)
    {
        if (!TryResolveMappedLun(request.Lun, out var lun, out var actor))
        {
            AnswerTaskManagement(request, TaskManagementResponseCode.LunDoesNotExist);
            return;
        }

        AskLuns(request, [(actor, new TaskManagementRequest(_parameters.Nexus!, lun, function, referencedTaskTag))], []);
    }

    /// <summary>
    /// Aborts in the session the matching tasks that have not reached their LUN, and returns
    /// the tags of those already at it (the LUN aborts those).
    /// </summary>
    private uint[] AbortSessionTasks(Func<ScsiTask, bool> matches)
    {
        var atLun = new List<uint>();
        foreach (var task in _tasks.Values.Where(matches).ToArray())
        {
            if (task.Stage == TaskStage.Waiting)
            {
                AbortInSession(task);
            }
            else
            {
                atLun.Add(task.InitiatorTaskTag);
            }
        }

        Deliver();
        return [.. atLun];
    }

    private void AbortInSession(ScsiTask task)
    {
        task.Stage = TaskStage.Aborted;
        RemoveTask(task.InitiatorTaskTag, out _);
        if (StopAwaitingData(task))
        {
            // Already past its CmdSN turn: its window slot opens now.
            _window.Complete();
        }

        // Not at a LUN yet: nothing reads its data-out buffer.
        task.DataOut?.ReleaseBuffer();

        // Otherwise a non-immediate task keeps its window slot until its CmdSN turn comes (Deliver frees it).
        AnswerLogoutIfIdle();
    }

    private void AskLuns(TaskManagementRequestPdu request, IReadOnlyList<(IActorRef Lun, TaskManagementRequest Request)> asks, IReadOnlyList<uint> affected)
    {
        if (asks.Count == 0)
        {
            AnswerTaskManagement(request, TaskManagementResponseCode.FunctionComplete);
            return;
        }

        foreach (var (lun, _) in asks)
        {
            _lunsUsed.Add(lun);
        }

        var timeout = _settings.TaskManagementTimeout;
        Task.WhenAll(asks.Select(ask => ask.Lun.Ask<TaskManagementDone>(ask.Request, timeout)))
            .PipeTo(
                Self,
                Self,
                success: answers => new TaskManagementAnswered(request, Combine(answers), affected),
                failure: error => new TaskManagementAnswered(request, TaskManagementResponse.FunctionRejected, [], error));
    }

    /// <summary>Several LUNs answered one request: the first answer that is not a success wins.</summary>
    private static TaskManagementResponse Combine(TaskManagementDone[] answers) =>
        answers.Select(answer => answer.Response).FirstOrDefault(response => response != TaskManagementResponse.FunctionComplete, TaskManagementResponse.FunctionComplete);

    private void HandleTaskManagementAnswered(TaskManagementAnswered answered)
    {
        if (answered.Error is { } error && Warn("task management failed"))
        {
            _logger.TaskManagementFailed(SessionName, answered.Request.Function, error);
        }

        var response = (TaskManagementResponseCode)answered.Response;
        if ((byte)answered.Request.Function == (byte)ProtocolFunction.AbortTask && !_tasks.ContainsKey(answered.Request.ReferencedTaskTag))
        {
            // The task completed, and its status went out, before the LUN took the abort: the
            // initiator has its answer, so the abort found no task (RFC 7143 11.6.1).
            response = TaskManagementResponseCode.TaskDoesNotExist;
        }
        else if (answered.Response == TaskManagementResponse.FunctionComplete)
        {
            foreach (var tag in answered.AffectedTasks)
            {
                if (RemoveTask(tag, out var task) && task!.Stage == TaskStage.AtLun && !task.Immediate)
                {
                    _window.Complete();
                }
            }
        }

        AnswerTaskManagement(answered.Request, response);
        AnswerLogoutIfIdle();
        if ((byte)answered.Request.Function == (byte)ProtocolFunction.TargetColdReset)
        {
            // RFC 7143 11.5.1: after a TARGET COLD RESET the target closes the connection.
            _connection.Close();
            EndNow();
        }
    }

    private void AnswerTaskManagement(TaskManagementRequestPdu request, TaskManagementResponseCode response)
    {
        _connection.Send(new TaskManagementResponsePdu
        {
            InitiatorTaskTag = request.InitiatorTaskTag,
            Response = response,
            StatSN = _statSn++,
            ExpCmdSN = ExpCmdSn,
            MaxCmdSN = MaxCmdSn,
        });
    }

    private bool TryResolveMappedLun(ulong field, out ulong lun, out IActorRef actor)
    {
        if (TryDecodeLun(field, out lun) && _luns.TryGetValue(lun, out var found))
        {
            actor = found;
            return true;
        }

        actor = ActorRefs.Nobody;
        return false;
    }
}

/// <summary>The LUNs' answer to a task management request, back in the session.</summary>
internal sealed record TaskManagementAnswered(
    TaskManagementRequestPdu Request,
    TaskManagementResponse Response,
    IReadOnlyList<uint> AffectedTasks,
    Exception? Error = null);
