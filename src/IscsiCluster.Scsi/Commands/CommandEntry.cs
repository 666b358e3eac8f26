using IscsiCluster.Scsi.Reservations;

namespace IscsiCluster.Scsi.Commands;

/// <summary>Runs one command.</summary>
internal delegate ValueTask<CommandResult> CommandHandler(CommandContext context);

/// <summary>
/// One supported command: its operation code, service action, how reservations restrict it
/// (SPC-4 5.13.1 table 50, SBC-3 4.17 table 13), CDB usage data (SPC-4 6.35.3, table 244:
/// byte 0 the opcode, then a one bit for every CDB bit the device server uses; bits outside
/// it are reserved and rejected) and handler. The same entry drives dispatch, the reservation
/// conflict check and REPORT SUPPORTED OPERATION CODES.
/// </summary>
internal sealed record CommandEntry(byte OpCode, ushort? ServiceAction, ReservationAccess Access, byte[] Usage, CommandHandler Handler)
{
    /// <summary>
    /// True when everything the handler does after its first await is moving data between the
    /// medium and a buffer (READ into one of its own, WRITE from the command's data-out): its
    /// checks and any change of unit state come before that, so the unit may start later
    /// commands while this one's transfer is under way. The device keeps the order of the calls
    /// (see <see cref="IBlockDevice"/>), so a later command still sees an earlier write.
    /// </summary>
    public bool MayOverlap { get; init; }

    /// <summary>The CDB length of this command.</summary>
    public int CdbLength => Usage.Length;

    /// <summary>Wraps a synchronous handler.</summary>
    public static CommandEntry Sync(
        byte opCode, ushort? serviceAction, ReservationAccess access, byte[] usage, Func<CommandContext, CommandResult> handler) =>
        new(opCode, serviceAction, access, usage, context => ValueTask.FromResult(handler(context)));
}
