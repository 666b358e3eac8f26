using System.Buffers.Binary;
using System.Collections.Frozen;

namespace IscsiCluster.Scsi.Sense;

/// <summary>
/// The one table from <see cref="SenseReason"/> to sense key, ASC and ASCQ
/// (SPC-4 annex D), and the builders of fixed (SPC-4 4.5.3) and descriptor
/// (SPC-4 4.5.2) format sense data.
/// </summary>
public static class SenseTable
{
    /// <summary>Length of the fixed-format sense data this table builds.</summary>
    public const int FixedLength = 18;

    // SPC-4 4.5.3, table 41: fixed format sense data.
    private const byte FixedCurrent = 0x70;
    private const byte FixedValid = 0x80;
    private const int FixedSenseKeyOffset = 2;
    private const int FixedInformationOffset = 3;
    private const int FixedAdditionalLengthOffset = 7;
    private const int FixedAscOffset = 12;
    private const int FixedAscqOffset = 13;
    private const int FixedSenseKeySpecificOffset = 15;

    // SPC-4 4.5.2, table 28: descriptor format sense data.
    private const byte DescriptorCurrent = 0x72;
    private const int DescriptorHeaderLength = 8;
    private const int DescriptorAdditionalLengthOffset = 7;
    private const byte InformationDescriptorType = 0x00;          // SPC-4 4.5.2.2
    private const byte InformationDescriptorLength = 0x0A;
    private const byte SenseKeySpecificDescriptorType = 0x02;     // SPC-4 4.5.2.4
    private const byte SenseKeySpecificDescriptorLength = 0x06;

    // SPC-4 4.5.2.4.2, table 30: field pointer sense-key specific data.
    private const byte Sksv = 0x80;
    private const byte CommandData = 0x40;
    private const byte BitPointerValid = 0x08;

    private static readonly FrozenDictionary<SenseReason, SenseCode> Codes = new Dictionary<SenseReason, SenseCode>
    {
        [SenseReason.NoSense] = new(SenseKey.NoSense, 0x00, 0x00),
        [SenseReason.InvalidCommandOperationCode] = new(SenseKey.IllegalRequest, 0x20, 0x00),
        [SenseReason.InvalidFieldInCdb] = new(SenseKey.IllegalRequest, 0x24, 0x00),
        [SenseReason.InvalidFieldInParameterList] = new(SenseKey.IllegalRequest, 0x26, 0x00),
        [SenseReason.ParameterListLengthError] = new(SenseKey.IllegalRequest, 0x1A, 0x00),
        [SenseReason.InvalidFieldInCommandInformationUnit] = new(SenseKey.IllegalRequest, 0x0E, 0x03),
        [SenseReason.LbaOutOfRange] = new(SenseKey.IllegalRequest, 0x21, 0x00),
        [SenseReason.ProtocolServiceCrcError] = new(SenseKey.AbortedCommand, 0x47, 0x05),
        [SenseReason.LogicalUnitNotSupported] = new(SenseKey.IllegalRequest, 0x25, 0x00),
        [SenseReason.SavingParametersNotSupported] = new(SenseKey.IllegalRequest, 0x39, 0x00),
        [SenseReason.UnrecoveredReadError] = new(SenseKey.MediumError, 0x11, 0x00),
        [SenseReason.WriteError] = new(SenseKey.MediumError, 0x0C, 0x00),
        [SenseReason.InternalTargetFailure] = new(SenseKey.HardwareError, 0x44, 0x00),
        [SenseReason.MiscompareDuringVerify] = new(SenseKey.Miscompare, 0x1D, 0x00),
        [SenseReason.PowerOnResetOccurred] = new(SenseKey.UnitAttention, 0x29, 0x00),
        [SenseReason.PowerOnOccurred] = new(SenseKey.UnitAttention, 0x29, 0x01),
        [SenseReason.BusDeviceResetFunctionOccurred] = new(SenseKey.UnitAttention, 0x29, 0x03),
        [SenseReason.ITNexusLossOccurred] = new(SenseKey.UnitAttention, 0x29, 0x07),
        [SenseReason.ModeParametersChanged] = new(SenseKey.UnitAttention, 0x2A, 0x01),
        [SenseReason.ReportedLunsDataHasChanged] = new(SenseKey.UnitAttention, 0x3F, 0x0E),
        [SenseReason.InvalidReleaseOfPersistentReservation] = new(SenseKey.IllegalRequest, 0x26, 0x04),
        [SenseReason.ReservationsPreempted] = new(SenseKey.UnitAttention, 0x2A, 0x03),
        [SenseReason.ReservationsReleased] = new(SenseKey.UnitAttention, 0x2A, 0x04),
        [SenseReason.RegistrationsPreempted] = new(SenseKey.UnitAttention, 0x2A, 0x05),
        [SenseReason.AsymmetricAccessStateChanged] = new(SenseKey.UnitAttention, 0x2A, 0x06),
        [SenseReason.CapacityDataHasChanged] = new(SenseKey.UnitAttention, 0x2A, 0x09),
        [SenseReason.AsymmetricAccessStateTransition] = new(SenseKey.NotReady, 0x04, 0x0A),
        [SenseReason.TargetPortInStandbyState] = new(SenseKey.NotReady, 0x04, 0x0B),
        [SenseReason.TargetPortInUnavailableState] = new(SenseKey.NotReady, 0x04, 0x0C),
        [SenseReason.InitiatorResponseTimeout] = new(SenseKey.AbortedCommand, 0x4B, 0x06),
        [SenseReason.TooManyTargetDescriptors] = new(SenseKey.IllegalRequest, 0x26, 0x06),
        [SenseReason.UnsupportedTargetDescriptorTypeCode] = new(SenseKey.IllegalRequest, 0x26, 0x07),
        [SenseReason.TooManySegmentDescriptors] = new(SenseKey.IllegalRequest, 0x26, 0x08),
        [SenseReason.UnsupportedSegmentDescriptorTypeCode] = new(SenseKey.IllegalRequest, 0x26, 0x09),
        [SenseReason.CopyTargetDeviceNotReachable] = new(SenseKey.CopyAborted, 0x0D, 0x02),
    }.ToFrozenDictionary();

    /// <summary>The sense key, ASC and ASCQ of <paramref name="reason"/>.</summary>
    public static SenseCode Lookup(SenseReason reason) => Codes[reason];

    /// <summary>Builds fixed-format sense data (SPC-4 4.5.3) for <paramref name="problem"/>.</summary>
    public static byte[] BuildFixed(SenseProblem problem)
    {
        var code = Lookup(problem.Reason);
        var sense = new byte[FixedLength];
        sense[0] = FixedCurrent;
        sense[FixedSenseKeyOffset] = (byte)code.Key;
        if (problem.Information is { } information)
        {
            // The fixed format has four bytes of INFORMATION; larger values leave VALID clear.
            if (information <= uint.MaxValue)
            {
                sense[0] |= FixedValid;
                BinaryPrimitives.WriteUInt32BigEndian(sense.AsSpan(FixedInformationOffset), (uint)information);
            }
        }

        sense[FixedAdditionalLengthOffset] = FixedLength - FixedAdditionalLengthOffset - 1;
        sense[FixedAscOffset] = code.Asc;
        sense[FixedAscqOffset] = code.Ascq;
        if (problem.Field is { } field)
        {
            WriteFieldPointer(sense.AsSpan(FixedSenseKeySpecificOffset, 3), field);
        }

        return sense;
    }

    /// <summary>Builds descriptor-format sense data (SPC-4 4.5.2) for <paramref name="problem"/>.</summary>
    public static byte[] BuildDescriptor(SenseProblem problem)
    {
        var code = Lookup(problem.Reason);
        var length = DescriptorHeaderLength
            + (problem.Information is null ? 0 : 2 + InformationDescriptorLength)
            + (problem.Field is null ? 0 : 2 + SenseKeySpecificDescriptorLength);
        var sense = new byte[length];
        sense[0] = DescriptorCurrent;
        sense[1] = (byte)code.Key;
        sense[2] = code.Asc;
        sense[3] = code.Ascq;
        sense[DescriptorAdditionalLengthOffset] = (byte)(length - DescriptorHeaderLength);
        var next = DescriptorHeaderLength;
        if (problem.Information is { } information)
        {
            // SPC-4 4.5.2.2, table 29: VALID is one, eight bytes of INFORMATION.
            sense[next] = InformationDescriptorType;
            sense[next + 1] = InformationDescriptorLength;
            sense[next + 2] = 0x80;
            BinaryPrimitives.WriteUInt64BigEndian(sense.AsSpan(next + 4), information);
            next += 2 + InformationDescriptorLength;
        }

        if (problem.Field is { } field)
        {
            // SPC-4 4.5.2.4.1, table 33: two reserved bytes, then the three sense-key specific bytes.
            sense[next] = SenseKeySpecificDescriptorType;
            sense[next + 1] = SenseKeySpecificDescriptorLength;
            WriteFieldPointer(sense.AsSpan(next + 4, 3), field);
        }

        return sense;
    }

    private static void WriteFieldPointer(Span<byte> destination, FieldPointer field)
    {
        destination[0] = Sksv;
        if (field.InCdb)
        {
            destination[0] |= CommandData;
        }

        if (field.Bit is { } bit)
        {
            destination[0] |= (byte)(BitPointerValid | (bit & 0x07));
        }

        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], field.ByteIndex);
    }
}
