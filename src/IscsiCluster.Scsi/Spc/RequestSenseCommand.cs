using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// REQUEST SENSE (SPC-4 6.39). iSCSI returns sense with the status (autosense), so
/// what is left to report is a pending unit attention, or what the unit supplies
/// (a LUN that does not exist reports LOGICAL UNIT NOT SUPPORTED).
/// </summary>
internal sealed class RequestSenseCommand(Func<CommandContext, SenseProblem> pendingSense)
{
    /// <summary>CDB usage: DESC, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage = [OpCode.RequestSense, 0x01, 0x00, 0x00, 0xFF, 0x00];

    private const byte DescBit = 0x01;

    public CommandEntry Entry => CommandEntry.Sync(OpCode.RequestSense, null, ReservationAccess.Unrestricted, Usage, Handle);

    /// <summary>The sense a unit with unit attentions reports: the oldest pending one (cleared), else NO SENSE.</summary>
    public static SenseProblem TakeUnitAttention(CommandContext context) =>
        context.Nexus.TryTake(out var reason) ? reason : SenseReason.NoSense;

    private CommandResult Handle(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var problem = pendingSense(context);

        // SPC-4 6.39: DESC one asks for descriptor format sense data, which this unit supports.
        var data = (cdb[1] & DescBit) != 0 ? SenseTable.BuildDescriptor(problem) : SenseTable.BuildFixed(problem);
        return CommandResult.WithData(data, Cdb.AllocationLength6(cdb));
    }
}
