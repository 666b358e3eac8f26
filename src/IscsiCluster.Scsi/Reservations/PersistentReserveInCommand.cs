using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;

namespace IscsiCluster.Scsi.Reservations;

/// <summary>PERSISTENT RESERVE IN (SPC-4 6.15): READ KEYS, READ RESERVATION, REPORT CAPABILITIES, READ FULL STATUS.</summary>
internal sealed class PersistentReserveInCommand(ReservationState state, ReservationPersistence persistence)
{
    /// <summary>CDB usage: SERVICE ACTION, ALLOCATION LENGTH (SPC-4 6.15.1, table 199).</summary>
    public static readonly byte[] Usage = [OpCode.PersistentReserveIn, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00];

    // SPC-4 6.15.2-6.15.5: every answer but REPORT CAPABILITIES starts with PRGENERATION and ADDITIONAL LENGTH.
    private const int HeaderLength = 8;
    private const int KeyLength = 8;
    private const int ReservationDescriptorLength = 16;
    private const int ReservationScopeTypeOffset = 13;      // within the READ RESERVATION descriptor (table 203)

    // SPC-4 6.15.4, table 206: REPORT CAPABILITIES.
    private const int CapabilitiesLength = 8;
    private const byte Crh = 0x10;
    private const byte SipC = 0x08;
    private const byte AtpC = 0x04;
    private const byte PtplC = 0x01;
    private const byte Tmv = 0x80;
    private const byte AllowCommandsTestUnitReady = 0x10;    // ALLOW COMMANDS 001b (table 207)
    private const byte PtplA = 0x01;
    private const byte MaskWriteExclusiveAllRegistrants = 0x80;    // byte 4 (table 208)
    private const byte MaskExclusiveAccessRegistrantsOnly = 0x40;
    private const byte MaskWriteExclusiveRegistrantsOnly = 0x20;
    private const byte MaskExclusiveAccess = 0x08;
    private const byte MaskWriteExclusive = 0x02;
    private const byte MaskExclusiveAccessAllRegistrants = 0x01;   // byte 5

    // SPC-4 6.15.5, table 210: full status descriptor.
    private const int FullStatusFixedLength = 24;
    private const int FullStatusFlagsOffset = 12;
    private const int FullStatusScopeTypeOffset = 13;
    private const int FullStatusPortOffset = 18;
    private const int FullStatusAdditionalLengthOffset = 20;
    private const byte AllTgPt = 0x02;
    private const byte RHolder = 0x01;

    public IEnumerable<CommandEntry> Entries =>
    [
        Entry(ServiceAction.ReadKeys, ReadKeys),
        Entry(ServiceAction.ReadReservation, ReadReservation),
        Entry(ServiceAction.ReportCapabilities, ReportCapabilities),
        Entry(ServiceAction.ReadFullStatus, ReadFullStatus),
    ];

    /// <summary>SPC-4 6.15.1: each answer is cut to ALLOCATION LENGTH; its length fields still describe all of it.</summary>
    private static CommandEntry Entry(ushort serviceAction, Func<byte[]> build) =>
        CommandEntry.Sync(OpCode.PersistentReserveIn, serviceAction, ReservationAccess.Status, Usage,
            context => CommandResult.WithData(build(), Cdb.AllocationLength10(context.Cdb.Span)));

    /// <summary>SPC-4 6.15.2, table 201: PRGENERATION, ADDITIONAL LENGTH, one key per registration.</summary>
    private byte[] ReadKeys()
    {
        var registrations = state.Registrations;
        var data = Header(KeyLength * registrations.Count);
        for (var i = 0; i < registrations.Count; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(HeaderLength + (KeyLength * i)), registrations[i].Key);
        }

        return data;
    }

    /// <summary>
    /// SPC-4 6.15.3, tables 202 and 203: the reservation's key (zero for an all registrants
    /// type, SPC-4 5.13.10), SCOPE (LU_SCOPE) and TYPE; no descriptor when nothing is reserved.
    /// </summary>
    private byte[] ReadReservation()
    {
        if (state.Type is not { } type)
        {
            return Header(0);
        }

        var data = Header(ReservationDescriptorLength);
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(HeaderLength), state.Holder?.Key ?? 0);
        data[HeaderLength + ReservationScopeTypeOffset] = (byte)type;
        return data;
    }

    /// <summary>
    /// SPC-4 6.15.4: CRH one (RESERVE/RELEASE follow 5.13.3), SIP_C and ATP_C one, PTPL_C one
    /// when a state store is there, TMV one with every type, ALLOW COMMANDS 001b (TEST UNIT READY
    /// is allowed through every reservation; the other allowances follow table 50 but are not
    /// claimed), PTPL_A as APTPL is now.
    /// </summary>
    private byte[] ReportCapabilities()
    {
        var data = new byte[CapabilitiesLength];
        BinaryPrimitives.WriteUInt16BigEndian(data, CapabilitiesLength);
        data[2] = (byte)(Crh | SipC | AtpC | (persistence.Capable ? PtplC : 0));
        data[3] = (byte)(Tmv | AllowCommandsTestUnitReady | (state.Aptpl ? PtplA : 0));
        data[4] = MaskWriteExclusiveAllRegistrants | MaskExclusiveAccessRegistrantsOnly | MaskWriteExclusiveRegistrantsOnly
            | MaskExclusiveAccess | MaskWriteExclusive;
        data[5] = MaskExclusiveAccessAllRegistrants;
        return data;
    }

    /// <summary>
    /// SPC-4 6.15.5: one full status descriptor per registration with its key, ALL_TG_PT,
    /// R_HOLDER with SCOPE and TYPE for holders, the relative target port and the initiator
    /// port's TransportID (SPC-4 7.6.4.6).
    /// </summary>
    private byte[] ReadFullStatus()
    {
        var descriptors = new List<byte[]>();
        foreach (var registration in state.Registrations)
        {
            var transportId = IscsiTransportId.Build(registration.InitiatorPortName);
            var descriptor = new byte[FullStatusFixedLength + transportId.Length];
            BinaryPrimitives.WriteUInt64BigEndian(descriptor, registration.Key);
            if (registration.IsAllTargetPorts)
            {
                descriptor[FullStatusFlagsOffset] |= AllTgPt;
            }

            if (state.IsHolder(registration) && state.Type is { } type)
            {
                descriptor[FullStatusFlagsOffset] |= RHolder;
                descriptor[FullStatusScopeTypeOffset] = (byte)type;
            }

            BinaryPrimitives.WriteUInt16BigEndian(descriptor.AsSpan(FullStatusPortOffset), registration.RelativeTargetPortId);
            BinaryPrimitives.WriteUInt32BigEndian(descriptor.AsSpan(FullStatusAdditionalLengthOffset), (uint)transportId.Length);
            transportId.CopyTo(descriptor, FullStatusFixedLength);
            descriptors.Add(descriptor);
        }

        var data = Header(descriptors.Sum(d => d.Length));
        var offset = HeaderLength;
        foreach (var descriptor in descriptors)
        {
            descriptor.CopyTo(data, offset);
            offset += descriptor.Length;
        }

        return data;
    }

    private byte[] Header(int additionalLength)
    {
        var data = new byte[HeaderLength + additionalLength];
        BinaryPrimitives.WriteUInt32BigEndian(data, state.Generation);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), (uint)additionalLength);
        return data;
    }
}
