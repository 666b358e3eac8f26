using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// RESERVE(6)/(10) and RELEASE(6)/(10) (SPC-2 7.21-7.24, obsolete in SPC-4 but still sent by
/// initiators): one I_T nexus reserves the whole logical unit. Third-party and extent
/// reservations are not supported (those CDB bits are reserved here). With persistent
/// registrations present the exceptions of SPC-4 5.13.3 apply (CRH is one).
/// </summary>
internal sealed class ReserveReleaseCommands(ReservationState state)
{
    public static readonly byte[] UsageReserve6 = [OpCode.Reserve6, 0x00, 0x00, 0x00, 0x00, 0x00];
    public static readonly byte[] UsageRelease6 = [OpCode.Release6, 0x00, 0x00, 0x00, 0x00, 0x00];
    public static readonly byte[] UsageReserve10 = [OpCode.Reserve10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
    public static readonly byte[] UsageRelease10 = [OpCode.Release10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];

    public IEnumerable<CommandEntry> Entries =>
    [
        CommandEntry.Sync(OpCode.Reserve6, null, ReservationAccess.Spc2Reservation, UsageReserve6, Reserve),
        CommandEntry.Sync(OpCode.Release6, null, ReservationAccess.Spc2Reservation, UsageRelease6, Release),
        CommandEntry.Sync(OpCode.Reserve10, null, ReservationAccess.Spc2Reservation, UsageReserve10, Reserve),
        CommandEntry.Sync(OpCode.Release10, null, ReservationAccess.Spc2Reservation, UsageRelease10, Release),
    ];

    /// <summary>SPC-2 7.21: GOOD for the holder again; RESERVATION CONFLICT while another nexus holds it.</summary>
    private CommandResult Reserve(CommandContext context)
    {
        var nexus = NexusKey.From(context.Command.Nexus);
        if (state.Registrations.Count > 0)
        {
            return PersistentException(nexus);
        }

        if (state.Spc2Holder is { } holder && holder != nexus)
        {
            return CommandResult.ReservationConflict;
        }

        state.Spc2Holder = nexus;
        return CommandResult.Good;
    }

    /// <summary>SPC-2 7.17: the holder releases; anyone else gets GOOD and nothing changes.</summary>
    private CommandResult Release(CommandContext context)
    {
        var nexus = NexusKey.From(context.Command.Nexus);
        if (state.Registrations.Count > 0)
        {
            return PersistentException(nexus);
        }

        if (state.Spc2Holder == nexus)
        {
            state.Spc2Holder = null;
        }

        return CommandResult.Good;
    }

    /// <summary>
    /// SPC-4 5.13.3: while any I_T nexus is registered, RESERVE and RELEASE conflict, except that
    /// (CRH one) they complete with GOOD, changing nothing, from a persistent reservation holder
    /// or from a registered nexus under a registrants only or all registrants reservation.
    /// </summary>
    private CommandResult PersistentException(NexusKey nexus)
    {
        var registration = state.Find(nexus);
        var exempt = state.IsHolder(registration) || (registration is not null && state.Type is { } type && type.AdmitsRegistrants());
        return exempt ? CommandResult.Good : CommandResult.ReservationConflict;
    }
}
