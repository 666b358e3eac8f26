using System.Numerics;
using IscsiCluster.Scsi.Alua;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi;

/// <summary>
/// What every kind of logical unit shares: the order of checks before a handler runs,
/// per-nexus unit attentions, task management and the target's LUN inventory.
/// </summary>
internal sealed class UnitEngine
{
    private readonly SenseReason _unsupportedCommand;
    private readonly Action? _onReset;
    private CommandSet? _commands;

    /// <param name="ownsUnitAttentions">False for a LUN that does not exist (it owes no unit attentions).</param>
    /// <param name="unsupportedCommand">The reason an unknown opcode gets.</param>
    /// <param name="onReset">Restores defaults on a logical unit or target reset (SAM-5 6.3.3: mode parameters).</param>
    /// <param name="attentions">Where the unit attentions that outlive a change of owner are saved; null to keep them in memory only.</param>
    public UnitEngine(bool ownsUnitAttentions, SenseReason unsupportedCommand, Action? onReset, UnitAttentionPersistence? attentions = null)
    {
        Nexuses = new NexusTable(ownsUnitAttentions, attentions);
        _unsupportedCommand = unsupportedCommand;
        _onReset = onReset;
    }

    /// <summary>The per-nexus state.</summary>
    public NexusTable Nexuses { get; }

    /// <summary>The reservations commands are checked against (a disk has them; other units reserve nothing).</summary>
    public ReservationState? Reservations { get; init; }

    /// <summary>The unit's target port groups; null when one node serves it alone (always accessible).</summary>
    public IPortGroups? PortGroups { get; init; }

    /// <summary>The target's LUNs, ascending (LUN 0 included).</summary>
    public IReadOnlyList<ulong> Inventory { get; private set; } = [];

    /// <summary>The supported commands (installed once, after the handlers that close over this engine exist).</summary>
    public CommandSet Commands
    {
        get => _commands ?? throw new InvalidOperationException("No command set installed.");
        set => _commands = value;
    }

    /// <summary>Runs one command through the checks of SAM-5 5.14 and SPC-4 4.2, then its handler.</summary>
    public async ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct)
    {
        var running = RunAsync(command, ct);

        // Still on the unit's thread: the checks (a unit attention reported) and the handlers that change what is owed
        // (REQUEST SENSE, REPORT LUNS, MODE SELECT, PERSISTENT RESERVE OUT) have run; a handler that goes on elsewhere
        // only moves data. Nothing is written unless a saved condition changed.
        Nexuses.SaveIfChanged();
        var result = await running;
        return Complete(command, result);
    }

    /// <summary>
    /// True when <paramref name="command"/> is a SIMPLE task (SAM-5 task attributes: the device
    /// server may run it in any order with other SIMPLE tasks) whose handler, past its checks,
    /// only moves data between the medium and a buffer (<see cref="CommandEntry.MayOverlap"/>).
    /// </summary>
    public bool MayOverlap(ExecuteCommand command) =>
        command.Attribute == TaskAttribute.Simple
        && !command.Cdb.IsEmpty
        && Commands.TryFind(command.Cdb.Span, out var entry, out _)
        && entry.MayOverlap;

    /// <summary>SAM-5 7: the task management functions a logical unit that runs one command at a time answers.</summary>
    public TaskManagementDone Manage(TaskManagementRequest request)
    {
        var response = request.Function switch
        {
            // The unit holds no queued tasks: anything not running has completed or never arrived
            // (RFC 7143 11.5.1: a task not found is answered FUNCTION COMPLETE).
            TaskManagementFunction.AbortTask or TaskManagementFunction.AbortTaskSet
                or TaskManagementFunction.ClearTaskSet or TaskManagementFunction.QueryTask
                or TaskManagementFunction.QueryTaskSet => TaskManagementResponse.FunctionComplete,
            TaskManagementFunction.LogicalUnitReset or TaskManagementFunction.TargetWarmReset =>
                Reset(SenseReason.BusDeviceResetFunctionOccurred),
            TaskManagementFunction.TargetColdReset => Reset(SenseReason.PowerOnOccurred),
            // SAM-5 7.13: FUNCTION SUCCEEDED when a unit attention (or deferred error) is pending.
            TaskManagementFunction.QueryAsynchronousEvent => Nexuses.GetOrAdd(request.Nexus).HasUnitAttention
                ? TaskManagementResponse.FunctionSucceeded
                : TaskManagementResponse.FunctionComplete,
            TaskManagementFunction.TaskReassign => TaskManagementResponse.ReassignmentNotSupported,
            _ => TaskManagementResponse.FunctionNotSupported, // CLEAR ACA: NormACA is zero (SAM-5 5.9)
        };
        return new TaskManagementDone(request.Function, response);
    }

    /// <summary>The task management functions <see cref="Manage"/> supports (for REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS).</summary>
    public static IReadOnlySet<TaskManagementFunction> SupportedFunctions { get; } = new HashSet<TaskManagementFunction>
    {
        TaskManagementFunction.AbortTask,
        TaskManagementFunction.AbortTaskSet,
        TaskManagementFunction.ClearTaskSet,
        TaskManagementFunction.LogicalUnitReset,
        TaskManagementFunction.TargetWarmReset,
        TaskManagementFunction.TargetColdReset,
        TaskManagementFunction.QueryTask,
        TaskManagementFunction.QueryTaskSet,
        TaskManagementFunction.QueryAsynchronousEvent,
    };

    /// <summary>Forgets what the nexus owed and records the loss (SAM-5 6.3.4).</summary>
    public void OnNexusLost(ITNexus nexus) => Nexuses.NexusLost(nexus);

    /// <summary>
    /// Replaces the LUN inventory; a change after the first one owes every nexus
    /// REPORTED LUNS DATA HAS CHANGED (SPC-4 6.33).
    /// </summary>
    public void SetInventory(IReadOnlyList<ulong> luns)
    {
        ArgumentNullException.ThrowIfNull(luns);
        foreach (var lun in luns)
        {
            if (!LunAddress.IsEncodable(lun))
            {
                throw new ArgumentOutOfRangeException(nameof(luns), lun, $"LUNs above {LunAddress.MaxLun} are not supported.");
            }
        }

        ulong[] sorted = [.. luns.Distinct().Order()];
        var hadInventory = Inventory.Count > 0;
        if (hadInventory && !sorted.SequenceEqual(Inventory))
        {
            Nexuses.EstablishForAll(SenseReason.ReportedLunsDataHasChanged);
        }

        Inventory = sorted;
    }

    private TaskManagementResponse Reset(SenseReason unitAttention)
    {
        _onReset?.Invoke();
        Nexuses.EstablishForAll(unitAttention);
        return TaskManagementResponse.FunctionComplete;
    }

    private async ValueTask<CommandResult> RunAsync(ExecuteCommand command, CancellationToken ct)
    {
        var cdb = command.Cdb;
        if (cdb.IsEmpty)
        {
            return SenseReason.InvalidCommandOperationCode;
        }

        var state = Nexuses.GetOrAdd(command.Nexus);
        var opCode = Cdb.OperationCode(cdb.Span);

        // SAM-5 5.14: INQUIRY, REPORT LUNS and REQUEST SENSE run despite a pending unit
        // attention; any other command reports (and clears) it instead of running.
        if (!IsUnitAttentionExempt(opCode) && state.TryTake(out var unitAttention))
        {
            return unitAttention;
        }

        // SPC-4 5.15.2.4: through a port that is not active, only the commands that report state run.
        if (PortGroups?.StateOf(command.Nexus.TargetPortGroup) is { } access
            && access is not (AsymmetricAccessState.ActiveOptimized or AsymmetricAccessState.ActiveNonOptimized)
            && !RunsWhenInaccessible(cdb.Span))
        {
            return access switch
            {
                AsymmetricAccessState.Standby => SenseReason.TargetPortInStandbyState,
                AsymmetricAccessState.Unavailable => SenseReason.TargetPortInUnavailableState,
                _ => SenseReason.AsymmetricAccessStateTransition,
            };
        }

        if (!Commands.TryFind(cdb.Span, out var entry, out var problem))
        {
            return problem.Reason == SenseReason.InvalidCommandOperationCode ? _unsupportedCommand : problem;
        }

        if (cdb.Length < entry.CdbLength)
        {
            return SenseProblem.CdbField(0);
        }

        var exact = cdb[..entry.CdbLength];
        if (TryFindReservedBit(exact.Span, entry.Usage, out var reserved))
        {
            return reserved;
        }

        // SPC-4 5.13.1 and SBC-3 4.17: a well-formed command the reservations forbid this nexus.
        if (Reservations?.Conflicts(NexusKey.From(command.Nexus), entry.Access) == true)
        {
            return CommandResult.ReservationConflict;
        }

        try
        {
            return await entry.Handler(new CommandContext(command, exact, state, ct));
        }
        catch (BlockRangeException)
        {
            // SBC-3 4.5: the device found the range past its medium (it shrank under the command).
            return SenseReason.LbaOutOfRange;
        }
    }

    /// <summary>
    /// SPC-4 4.2.1 and 4.3: a bit the command does not use (reserved, an unsupported
    /// option such as RDPROTECT, or NACA/LINK in the CONTROL byte, SAM-5 5.2) set to one
    /// ends the command with INVALID FIELD IN CDB pointing at that bit.
    /// </summary>
    private static bool TryFindReservedBit(ReadOnlySpan<byte> cdb, byte[] usage, out SenseProblem problem)
    {
        for (var i = 1; i < cdb.Length; i++)
        {
            var stray = cdb[i] & ~usage[i];
            if (stray != 0)
            {
                problem = SenseProblem.CdbField(i, 31 - BitOperations.LeadingZeroCount((uint)stray));
                return true;
            }
        }

        problem = default;
        return false;
    }

    /// <summary>
    /// SPC-4 5.15.2.4.5 and 5.15.2.4.6: in the unavailable and transitioning states a port still answers INQUIRY,
    /// REPORT LUNS, REQUEST SENSE, REPORT TARGET PORT GROUPS and the REPORT SUPPORTED ... commands.
    /// </summary>
    private static bool RunsWhenInaccessible(ReadOnlySpan<byte> cdb) =>
        Cdb.OperationCode(cdb) switch
        {
            OpCode.Inquiry or OpCode.ReportLuns or OpCode.RequestSense => true,
            OpCode.MaintenanceIn => cdb.Length > 1 && (cdb[1] & 0x1F) is ServiceAction.ReportTargetPortGroups
                or ServiceAction.ReportSupportedOperationCodes or ServiceAction.ReportSupportedTaskManagementFunctions,
            _ => false,
        };

    private static bool IsUnitAttentionExempt(byte opCode) =>
        opCode is OpCode.Inquiry or OpCode.ReportLuns or OpCode.RequestSense;

    private static CommandComplete Complete(ExecuteCommand command, CommandResult result)
    {
        if (result.Problem is { } problem)
        {
            result.DataInRelease?.Invoke();
            return new CommandComplete(command.TaskTag, ScsiStatus.CheckCondition, ReadOnlyMemory<byte>.Empty,
                SenseTable.BuildFixed(problem), result.TransferLength);
        }

        var dataIn = result.DataIn;
        if (dataIn.Length > command.DataInLength)
        {
            dataIn = dataIn[..Math.Max(command.DataInLength, 0)];
        }

        return new CommandComplete(command.TaskTag, result.Status, dataIn, ReadOnlyMemory<byte>.Empty, result.TransferLength)
        {
            DataInRelease = result.DataInRelease,
        };
    }
}
