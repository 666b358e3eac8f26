using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;

namespace IscsiCluster.Scsi.Spc;

/// <summary>TEST UNIT READY (SPC-4 6.47): the unit is always ready once it exists.</summary>
internal static class TestUnitReadyCommand
{
    /// <summary>CDB usage: nothing besides the opcode.</summary>
    public static readonly byte[] Usage = [OpCode.TestUnitReady, 0x00, 0x00, 0x00, 0x00, 0x00];

    public static CommandEntry Entry { get; } = CommandEntry.Sync(OpCode.TestUnitReady, null, ReservationAccess.Status, Usage, _ => CommandResult.Good);
}
