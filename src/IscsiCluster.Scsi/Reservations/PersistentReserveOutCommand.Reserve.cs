using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>RESERVE, RELEASE, CLEAR, PREEMPT and PREEMPT AND ABORT (SPC-4 5.13.9, 5.13.11).</summary>
internal sealed partial class PersistentReserveOutCommand
{
    /// <summary>
    /// SPC-4 5.13.9: a registered nexus creates the reservation. Asking again for the type it
    /// holds is GOOD; any other type, or a reservation held by someone else, is RESERVATION CONFLICT.
    /// </summary>
    private CommandResult Reserve(Request request)
    {
        if (!TryFindSender(request, out var registration))
        {
            return CommandResult.ReservationConflict;
        }

        if (state.Type is { } current)
        {
            return state.IsHolder(registration) && current == request.Type ? CommandResult.Good : CommandResult.ReservationConflict;
        }

        state.Reserve(registration, request.Type);
        return Changed(generation: false);
    }

    /// <summary>
    /// SPC-4 5.13.11.2: releasing with nothing reserved, or by a nexus that does not hold the
    /// reservation, is GOOD and changes nothing. The holder must name the reservation's type
    /// (else INVALID RELEASE OF PERSISTENT RESERVATION). Ending a registrants only or all
    /// registrants reservation owes the other registrants RESERVATIONS RELEASED.
    /// </summary>
    private CommandResult Release(Request request)
    {
        if (!TryFindSender(request, out var registration))
        {
            return CommandResult.ReservationConflict;
        }

        if (state.Type is not { } current || !state.IsHolder(registration))
        {
            return CommandResult.Good;
        }

        if (current != request.Type)
        {
            return SenseReason.InvalidReleaseOfPersistentReservation;
        }

        state.Release();
        if (current.AdmitsRegistrants())
        {
            Notify(state.Registrations, SenseReason.ReservationsReleased, request.Nexus);
        }

        return Changed(generation: false);
    }

    /// <summary>SPC-4 5.13.11.6: removes every registration and the reservation; the others are owed RESERVATIONS PREEMPTED.</summary>
    private CommandResult Clear(Request request)
    {
        if (!TryFindSender(request, out _))
        {
            return CommandResult.ReservationConflict;
        }

        List<Registration> cleared = [.. state.Registrations];
        state.Clear();
        Notify(cleared, SenseReason.ReservationsPreempted, request.Nexus);
        return Changed();
    }

    /// <summary>
    /// SPC-4 5.13.11.4 (PREEMPT) and 5.13.11.5 (PREEMPT AND ABORT), see below. PREEMPT AND ABORT
    /// also aborts the preempted nexuses' tasks (SAM-5 5.6); this unit runs one command at a time
    /// and queues none, so by the time this runs no other task exists to abort or to answer
    /// TASK ABORTED, and both service actions change the state alike.
    /// </summary>
    private CommandResult Preempt(Request request)
    {
        if (!TryFindSender(request, out var registration))
        {
            return CommandResult.ReservationConflict;
        }

        var victimKey = request.ServiceActionKey;
        if (state.Type is { } current && (current.IsAllRegistrants() ? victimKey == 0 : state.Holder!.Key == victimKey))
        {
            return PreemptReservation(request, registration, current);
        }

        // No reservation is taken: remove the registrations holding SERVICE ACTION RESERVATION KEY,
        // which must be nonzero and held by someone (SPC-4 5.13.11.4.3, 5.13.11.4.4).
        if (victimKey == 0)
        {
            return SenseProblem.ParameterField(ServiceActionKeyOffset);
        }

        var victims = state.Registrations.Where(r => r.Key == victimKey && !ReferenceEquals(r, registration)).ToList();
        if (victims.Count == 0 && registration.Key != victimKey)
        {
            return CommandResult.ReservationConflict;
        }

        RemoveAll(victims, request);
        return Changed();
    }

    /// <summary>
    /// SPC-4 5.13.11.4.3: SERVICE ACTION RESERVATION KEY names the holder (or is zero under an all
    /// registrants type): its registrations (every other one, for all registrants) are removed and
    /// the sender holds a new reservation of TYPE. If the type changed, the registrants left are
    /// owed RESERVATIONS RELEASED.
    /// </summary>
    private CommandResult PreemptReservation(Request request, Registration registration, PersistentReservationType current)
    {
        var victimKey = request.ServiceActionKey;
        var victims = state.Registrations
            .Where(r => !ReferenceEquals(r, registration) && (current.IsAllRegistrants() || r.Key == victimKey))
            .ToList();
        RemoveAll(victims, request);
        state.Reserve(registration, request.Type);
        if (current != request.Type)
        {
            Notify(state.Registrations, SenseReason.ReservationsReleased, request.Nexus);
        }

        return Changed();
    }

    /// <summary>Removes preempted registrations; their nexuses are owed REGISTRATIONS PREEMPTED.</summary>
    private void RemoveAll(List<Registration> victims, Request request)
    {
        foreach (var victim in victims)
        {
            state.Remove(victim);
        }

        Notify(victims, SenseReason.RegistrationsPreempted, request.Nexus);
    }
}
