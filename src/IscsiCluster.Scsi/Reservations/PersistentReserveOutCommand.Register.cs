using System.Buffers.Binary;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>REGISTER, REGISTER AND IGNORE EXISTING KEY (SPC-4 5.13.7) and REGISTER AND MOVE (SPC-4 5.13.8).</summary>
internal sealed partial class PersistentReserveOutCommand
{
    private CommandResult Register(Request request)
    {
        var ignoreKey = request.ServiceAction == ServiceAction.RegisterAndIgnoreExistingKey;
        var registration = state.Find(request.Nexus);
        var flags = request.Flags;

        // SPC-4 5.13.7: REGISTER checks RESERVATION KEY (zero for an unregistered nexus);
        // REGISTER AND IGNORE EXISTING KEY does not.
        if (!ignoreKey && request.ReservationKey != (registration?.Key ?? 0))
        {
            return CommandResult.ReservationConflict;
        }

        if ((flags & Aptpl) != 0 && !persistence.Capable)
        {
            return SenseProblem.ParameterField(FlagsOffset, 0);        // PTPL_C is zero (SPC-4 6.16.3)
        }

        var newKey = request.ServiceActionKey;
        if (registration is null)
        {
            return newKey == 0 ? CommandResult.Good : RegisterNew(request, newKey);
        }

        // SPC-4 5.13.7: a registered nexus may not specify other initiator ports.
        if ((flags & SpecIPt) != 0)
        {
            return SenseProblem.ParameterField(FlagsOffset, 3);
        }

        if (newKey == 0)
        {
            Unregister(registration, request.Nexus);
        }
        else
        {
            registration.Key = newKey;
        }

        state.Aptpl = (flags & Aptpl) != 0;
        return Changed();
    }

    /// <summary>
    /// Registers the sender and, with SPEC_I_PT, the I_T nexuses formed by each listed initiator
    /// port and this target port (every target port with ALL_TG_PT). Nothing is registered if any
    /// of them is already registered (RESERVATION CONFLICT) or a TransportID is malformed.
    /// </summary>
    private CommandResult RegisterNew(Request request, ulong key)
    {
        var flags = request.Flags;
        var allTargetPorts = (flags & AllTgPt) != 0;
        List<Registration> added = [Registration.Of(request.Nexus, key, allTargetPorts)];
        if ((flags & SpecIPt) != 0)
        {
            var list = request.List.Span;
            var end = SpecIPtHeaderLength + (int)BinaryPrimitives.ReadUInt32BigEndian(list[SpecIPtLengthOffset..]);
            for (var offset = SpecIPtHeaderLength; offset < end;)
            {
                if (!IscsiTransportId.TryParse(list[offset..end], out var port, out var length, out var bad))
                {
                    return SenseProblem.ParameterField(offset + bad);
                }

                var target = new NexusKey(port, request.Nexus.TargetName, request.Nexus.RelativeTargetPortId);
                if (state.Find(target) is not null)
                {
                    return CommandResult.ReservationConflict;
                }

                if (!added.Any(r => r.Matches(target)))
                {
                    added.Add(Registration.Of(target, key, allTargetPorts));
                }

                offset += length;
            }
        }

        added.ForEach(state.Add);
        state.Aptpl = (flags & Aptpl) != 0;
        return Changed();
    }

    /// <summary>
    /// SPC-4 5.13.11.2.3: unregistering the holder of a registrants only reservation releases it
    /// and owes the remaining registrants RESERVATIONS RELEASED (other types end silently).
    /// </summary>
    private void Unregister(Registration registration, NexusKey sender)
    {
        var released = state.Remove(registration);
        if (released is PersistentReservationType.WriteExclusiveRegistrantsOnly or PersistentReservationType.ExclusiveAccessRegistrantsOnly)
        {
            Notify(state.Registrations, SenseReason.ReservationsReleased, sender);
        }
    }

    /// <summary>
    /// SPC-4 5.13.8: the holder of a reservation (not all registrants) registers another initiator
    /// port (through RELATIVE TARGET PORT IDENTIFIER) with SERVICE ACTION RESERVATION KEY and hands
    /// it the reservation, with TYPE; UNREG one then drops the sender's own registration.
    /// </summary>
    private CommandResult RegisterAndMove(Request request)
    {
        if (!TryFindSender(request, out var registration)
            || state.Type is not { } current || current.IsAllRegistrants() || !ReferenceEquals(state.Holder, registration))
        {
            return CommandResult.ReservationConflict;
        }

        var list = request.List.Span;
        var flags = list[MoveFlagsOffset];
        if ((flags & Aptpl) != 0 && !persistence.Capable)
        {
            return SenseProblem.ParameterField(MoveFlagsOffset, 0);
        }

        var newKey = request.ServiceActionKey;
        if (newKey == 0)
        {
            return SenseProblem.ParameterField(ServiceActionKeyOffset);
        }

        var port = BinaryPrimitives.ReadUInt16BigEndian(list[MovePortOffset..]);
        if (port == Registration.AllTargetPorts)
        {
            return SenseProblem.ParameterField(MovePortOffset);
        }

        var end = MoveTransportIdOffset + (int)BinaryPrimitives.ReadUInt32BigEndian(list[MoveTransportIdLengthOffset..]);
        if (!IscsiTransportId.TryParse(list[MoveTransportIdOffset..end], out var initiatorPort, out _, out var bad))
        {
            return SenseProblem.ParameterField(MoveTransportIdOffset + bad);
        }

        var destination = new NexusKey(initiatorPort, request.Nexus.TargetName, port);
        if (registration.Matches(destination))
        {
            return SenseProblem.ParameterField(MoveTransportIdOffset);     // moving to the sender itself
        }

        var moved = state.Find(destination);
        if (moved is null)
        {
            moved = Registration.Of(destination, newKey, allTargetPorts: false);
            state.Add(moved);
        }
        else
        {
            moved.Key = newKey;
        }

        state.Reserve(moved, request.Type);
        if ((flags & Unreg) != 0)
        {
            state.Remove(registration);
        }

        state.Aptpl = (flags & Aptpl) != 0;
        return Changed();
    }
}
