using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// REPORT SUPPORTED TASK MANAGEMENT FUNCTIONS (SPC-4 6.37), read from the set the unit's
/// task management actually supports. REPD (extended format) is unsupported.
/// </summary>
internal static class ReportSupportedTaskManagementFunctionsCommand
{
    /// <summary>CDB usage: SERVICE ACTION, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage =
        [OpCode.MaintenanceIn, 0x1F, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    private const int DataLength = 4;
    private const int AllocationLengthOffset = 6;

    public static CommandEntry Entry { get; } =
        CommandEntry.Sync(OpCode.MaintenanceIn, ServiceAction.ReportSupportedTaskManagementFunctions, ReservationAccess.Unrestricted, Usage, Handle);

    /// <summary>SPC-4 6.37.2, table 254: one bit per function.</summary>
    public static byte[] Build(IReadOnlySet<TaskManagementFunction> supported)
    {
        var data = new byte[DataLength];
        Set(TaskManagementFunction.AbortTask, 0, 0x80);                 // ATS
        Set(TaskManagementFunction.AbortTaskSet, 0, 0x40);              // ATSS
        Set(TaskManagementFunction.ClearAca, 0, 0x20);                  // CACAS
        Set(TaskManagementFunction.ClearTaskSet, 0, 0x10);              // CTSS
        Set(TaskManagementFunction.LogicalUnitReset, 0, 0x08);          // LURS
        Set(TaskManagementFunction.QueryTask, 0, 0x04);                 // QTS
        Set(TaskManagementFunction.TargetWarmReset, 0, 0x02);           // TRS (target reset)
        Set(TaskManagementFunction.QueryAsynchronousEvent, 1, 0x04);    // QAES
        Set(TaskManagementFunction.QueryTaskSet, 1, 0x02);              // QTSS
        return data;

        void Set(TaskManagementFunction function, int index, byte bit)
        {
            if (supported.Contains(function))
            {
                data[index] |= bit;
            }
        }
    }

    private static CommandResult Handle(CommandContext context)
    {
        // SPC-4 6.37.1: an ALLOCATION LENGTH below four is INVALID FIELD IN CDB.
        var allocationLength = Cdb.AllocationLength12(context.Cdb.Span);
        return allocationLength < DataLength
            ? SenseProblem.CdbField(AllocationLengthOffset)
            : CommandResult.WithData(Build(UnitEngine.SupportedFunctions), allocationLength);
    }
}
