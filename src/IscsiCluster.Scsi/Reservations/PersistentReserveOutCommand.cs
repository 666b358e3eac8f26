using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>
/// PERSISTENT RESERVE OUT (SPC-4 6.16, 5.13.7-5.13.11): one entry per service action. This
/// file decodes the CDB and parameter list and checks reservation keys; the service actions
/// live in PersistentReserveOutCommand.Register.cs and PersistentReserveOutCommand.Reserve.cs.
/// Every change is saved through <see cref="ReservationPersistence"/> before GOOD is returned.
/// </summary>
internal sealed partial class PersistentReserveOutCommand(ReservationState state, ReservationPersistence persistence, NexusTable nexuses)
{
    /// <summary>CDB usage: SERVICE ACTION, SCOPE and TYPE, PARAMETER LIST LENGTH (SPC-4 6.16.1, table 214).</summary>
    public static readonly byte[] Usage = [OpCode.PersistentReserveOut, 0x1F, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00];

    private const int ScopeTypeOffset = 2;
    private const int ParameterListLengthOffset = 5;
    private const int LuScope = 0x0;

    // SPC-4 6.16.3, table 217: the basic parameter list.
    private const int BasicListLength = 24;
    private const int ReservationKeyOffset = 0;
    private const int ServiceActionKeyOffset = 8;
    private const int FlagsOffset = 20;
    private const byte SpecIPt = 0x08;
    private const byte AllTgPt = 0x04;
    private const byte Aptpl = 0x01;
    private const int SpecIPtLengthOffset = 24;
    private const int SpecIPtHeaderLength = 28;

    // SPC-4 6.16.4, table 219: the REGISTER AND MOVE parameter list.
    private const int MoveFlagsOffset = 17;
    private const byte Unreg = 0x02;
    private const int MovePortOffset = 18;
    private const int MoveTransportIdLengthOffset = 20;
    private const int MoveTransportIdOffset = 24;

    public IEnumerable<CommandEntry> Entries =>
    [
        Entry(ServiceAction.Register, Register),
        Entry(ServiceAction.Reserve, Reserve),
        Entry(ServiceAction.Release, Release),
        Entry(ServiceAction.Clear, Clear),
        Entry(ServiceAction.Preempt, Preempt),
        Entry(ServiceAction.PreemptAndAbort, Preempt),
        Entry(ServiceAction.RegisterAndIgnoreExistingKey, Register),
        Entry(ServiceAction.RegisterAndMove, RegisterAndMove),
    ];

    /// <summary>What a service action handler gets: the decoded CDB and parameter list, and the sender.</summary>
    private sealed record Request(ushort ServiceAction, PersistentReservationType Type, ReadOnlyMemory<byte> List, NexusKey Nexus)
    {
        public ulong ReservationKey => BinaryPrimitives.ReadUInt64BigEndian(List.Span[ReservationKeyOffset..]);

        public ulong ServiceActionKey => BinaryPrimitives.ReadUInt64BigEndian(List.Span[ServiceActionKeyOffset..]);

        public byte Flags => List.Span[FlagsOffset];
    }

    private CommandEntry Entry(ushort serviceAction, Func<Request, CommandResult> handler) =>
        CommandEntry.Sync(OpCode.PersistentReserveOut, serviceAction, ReservationAccess.PersistentReserveOut, Usage,
            context => Handle(context, serviceAction, handler));

    private static CommandResult Handle(CommandContext context, ushort serviceAction, Func<Request, CommandResult> handler)
    {
        var cdb = context.Cdb.Span;
        var scope = cdb[ScopeTypeOffset] >> 4;
        var type = cdb[ScopeTypeOffset] & 0x0F;

        // SPC-4 6.16.2, table 215: RESERVE, RELEASE, PREEMPT and PREEMPT AND ABORT use SCOPE and
        // TYPE, REGISTER AND MOVE uses TYPE; the others ignore both. Only LU_SCOPE exists (SPC-4 6.16.2).
        var usesType = serviceAction is ServiceAction.Reserve or ServiceAction.Release or ServiceAction.Preempt
            or ServiceAction.PreemptAndAbort or ServiceAction.RegisterAndMove;
        if (usesType && serviceAction != ServiceAction.RegisterAndMove && scope != LuScope)
        {
            return SenseProblem.CdbField(ScopeTypeOffset, 7);
        }

        if (usesType && !PersistentReservationTypes.IsDefined(type))
        {
            return SenseProblem.CdbField(ScopeTypeOffset, 3);
        }

        var listLength = BinaryPrimitives.ReadUInt32BigEndian(cdb[ParameterListLengthOffset..]);
        if (listLength < BasicListLength)
        {
            return SenseReason.ParameterListLengthError;
        }

        if (!context.TryTakeDataOut(listLength, out var list, out var problem))
        {
            return problem;
        }

        if (!TryCheckListLength(serviceAction, list.Span, out problem))
        {
            return problem;
        }

        var result = handler(new Request(serviceAction, (PersistentReservationType)type, list, NexusKey.From(context.Command.Nexus)));
        return result.Status == ScsiStatus.Good ? CommandResult.Consumed(listLength) : result;
    }

    /// <summary>
    /// SPC-4 6.16.3 and 6.16.4: the list is 24 bytes unless SPEC_I_PT is one (then 28 plus the
    /// TransportIDs) or the service action is REGISTER AND MOVE (24 plus its TransportID).
    /// SPEC_I_PT is valid only with REGISTER (SPC-4 5.13.7).
    /// </summary>
    private static bool TryCheckListLength(ushort serviceAction, ReadOnlySpan<byte> list, out SenseProblem problem)
    {
        problem = default;
        if (serviceAction == ServiceAction.RegisterAndMove)
        {
            var transportIdLength = BinaryPrimitives.ReadUInt32BigEndian(list[MoveTransportIdLengthOffset..]);
            if (transportIdLength < IscsiTransportId.MinimumLength)
            {
                problem = SenseProblem.ParameterField(MoveTransportIdLengthOffset);
                return false;
            }

            if (MoveTransportIdOffset + (long)transportIdLength > list.Length)
            {
                problem = SenseReason.ParameterListLengthError;
                return false;
            }

            return true;
        }

        if ((list[FlagsOffset] & SpecIPt) == 0)
        {
            if (list.Length != BasicListLength)
            {
                problem = SenseReason.ParameterListLengthError;
                return false;
            }

            return true;
        }

        if (serviceAction != ServiceAction.Register)
        {
            problem = SenseProblem.ParameterField(FlagsOffset, 3);
            return false;
        }

        if (list.Length < SpecIPtHeaderLength
            || SpecIPtHeaderLength + (long)BinaryPrimitives.ReadUInt32BigEndian(list[SpecIPtLengthOffset..]) > list.Length)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        return true;
    }

    /// <summary>
    /// SPC-4 5.13.11.1: every service action but REGISTER and REGISTER AND IGNORE EXISTING KEY
    /// needs a registered nexus whose key matches RESERVATION KEY; otherwise RESERVATION CONFLICT.
    /// </summary>
    private bool TryFindSender(Request request, [NotNullWhen(true)] out Registration? registration)
    {
        registration = state.Find(request.Nexus);
        return registration is not null && registration.Key == request.ReservationKey;
    }

    /// <summary>Owes <paramref name="reason"/> to every known nexus of <paramref name="registrations"/> except the sender.</summary>
    private void Notify(IReadOnlyCollection<Registration> registrations, SenseReason reason, NexusKey sender)
    {
        if (registrations.Count > 0)
        {
            nexuses.EstablishWhere(key => key != sender && registrations.Any(r => r.Matches(key)), reason);
        }
    }

    /// <summary>Bumps PRgeneration (SPC-4 6.15.2) and saves.</summary>
    private CommandResult Changed(bool generation = true)
    {
        if (generation)
        {
            state.Generation++;
        }

        persistence.Persist(state);
        return CommandResult.Good;
    }
}
