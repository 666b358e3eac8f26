using System.Buffers.Binary;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Copy;

/// <summary>One CSCD (target) descriptor of type E4h, identification descriptor (SPC-4 6.3.6.2, table 122).</summary>
/// <param name="LuIdType">LU ID TYPE: 00b designator, 01b proxy token (10b and 11b are reserved and, per SPC-4, ignored).</param>
/// <param name="PeripheralDeviceType">The device type the descriptor names (0 for a block device).</param>
/// <param name="Designation">The designation descriptor (SPC-4 7.8.6.1): header and designator.</param>
/// <param name="BlockLength">DISK BLOCK LENGTH of the block device type specific parameters (SPC-4 6.3.6.4).</param>
internal sealed record CopyTarget(int LuIdType, int PeripheralDeviceType, byte[] Designation, int BlockLength);

/// <summary>One block device to block device segment descriptor (SPC-4 6.3.7.5, table 133).</summary>
internal readonly record struct BlockSegment(int SourceIndex, int DestinationIndex, ushort Blocks, ulong SourceLba, ulong DestinationLba);

/// <summary>
/// The EXTENDED COPY(LID1) parameter list (SPC-4 6.3.2, table 106), decoded and checked against
/// the copy manager's limits; everything wrong with the list is found before any block moves.
/// </summary>
internal sealed record CopyParameterList(byte ListId, int ListIdUsage, IReadOnlyList<CopyTarget> Targets, IReadOnlyList<BlockSegment> Segments)
{
    /// <summary>Bytes before the CSCD descriptor list.</summary>
    public const int HeaderLength = 16;

    // SPC-4 6.3.2, table 106.
    private const int ListIdUsageOffset = 1;
    private const int ListIdUsageShift = 3;
    private const int TargetListLengthOffset = 2;
    private const int SegmentListLengthOffset = 8;
    private const int InlineDataLengthOffset = 12;

    /// <summary>SPC-4 table 107: 01b is reserved; 11b requires LIST IDENTIFIER zero.</summary>
    public const int ListIdUsageHold = 0;
    private const int ListIdUsageReserved = 1;
    private const int ListIdUsageNone = 3;

    // SPC-4 6.3.6.1: CSCD descriptors E0h..E9h are 32 bytes.
    public const byte IdentificationDescriptor = 0xE4;
    public const int TargetDescriptorLength = 32;
    private const int LuIdTypeShift = 6;
    private const byte PeripheralTypeMask = 0x1F;
    private const int DesignationOffset = 4;
    private const int DesignationMaxLength = 20;
    private const int DesignatorLengthOffset = 3;
    private const int BlockLengthOffset = 29;

    // SPC-4 6.3.7.1 and 6.3.7.5: segment descriptors start with a 4-byte header.
    public const byte BlockToBlock = 0x02;
    private const int SegmentHeaderLength = 4;
    private const int SegmentLengthOffset = 2;
    private const ushort BlockToBlockLength = 0x18;

    /// <summary>
    /// Decodes <paramref name="list"/> (at least <see cref="HeaderLength"/> bytes), checking in the
    /// order the limit tests of SPC-4 6.3.3 imply: lengths first, then descriptor counts, then
    /// descriptor type codes.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> list, CopyLimits limits, out CopyParameterList parsed, out SenseProblem problem)
    {
        parsed = null!;
        var usage = (list[ListIdUsageOffset] >> ListIdUsageShift) & 0x3;
        var targetLength = BinaryPrimitives.ReadUInt16BigEndian(list[TargetListLengthOffset..]);
        var segmentLength = BinaryPrimitives.ReadUInt32BigEndian(list[SegmentListLengthOffset..]);
        var inlineLength = BinaryPrimitives.ReadUInt32BigEndian(list[InlineDataLengthOffset..]);
        if (usage == ListIdUsageReserved)
        {
            problem = SenseProblem.ParameterField(ListIdUsageOffset, 4);
            return false;
        }

        if (usage == ListIdUsageNone && list[0] != 0)
        {
            problem = SenseProblem.ParameterField(0);
            return false;
        }

        // MAXIMUM INLINE DATA LENGTH is zero: this copy manager takes no inline data.
        if (inlineLength != 0)
        {
            problem = SenseProblem.ParameterField(InlineDataLengthOffset);
            return false;
        }

        // SPC-4 6.3.3: the lists must fit the parameter list and MAXIMUM DESCRIPTOR LIST LENGTH.
        if ((long)HeaderLength + targetLength + segmentLength > list.Length
            || (long)targetLength + segmentLength > limits.MaximumDescriptorListLength)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        var targetList = list.Slice(HeaderLength, targetLength);
        var segmentList = list.Slice(HeaderLength + targetLength, (int)segmentLength);
        if (!TryParseTargets(targetList, limits, out var targets, out problem)
            || !TryParseSegments(segmentList, HeaderLength + targetLength, limits, out var segments, out problem))
        {
            return false;
        }

        parsed = new CopyParameterList(list[0], usage, targets, segments);
        return true;
    }

    private static bool TryParseTargets(ReadOnlySpan<byte> list, CopyLimits limits, out List<CopyTarget> targets, out SenseProblem problem)
    {
        targets = [];
        if (list.Length % TargetDescriptorLength != 0)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        if (list.Length / TargetDescriptorLength > limits.MaximumTargetDescriptors)
        {
            problem = SenseReason.TooManyTargetDescriptors;
            return false;
        }

        for (var offset = 0; offset < list.Length; offset += TargetDescriptorLength)
        {
            var descriptor = list.Slice(offset, TargetDescriptorLength);
            if (descriptor[0] != IdentificationDescriptor)
            {
                problem = SenseReason.UnsupportedTargetDescriptorTypeCode;
                return false;
            }

            var designationLength = Math.Min(DesignationMaxLength, DesignationOffset + descriptor[DesignationOffset + DesignatorLengthOffset]);
            targets.Add(new CopyTarget(
                descriptor[1] >> LuIdTypeShift,
                descriptor[1] & PeripheralTypeMask,
                descriptor.Slice(DesignationOffset, designationLength).ToArray(),
                (descriptor[BlockLengthOffset] << 16) | BinaryPrimitives.ReadUInt16BigEndian(descriptor[(BlockLengthOffset + 1)..])));
        }

        problem = default;
        return true;
    }

    private static bool TryParseSegments(
        ReadOnlySpan<byte> list, int listOffset, CopyLimits limits, out List<BlockSegment> segments, out SenseProblem problem)
    {
        segments = [];
        for (var offset = 0; offset < list.Length;)
        {
            if (segments.Count == limits.MaximumSegmentDescriptors)
            {
                problem = SenseReason.TooManySegmentDescriptors;
                return false;
            }

            if (list.Length - offset < SegmentHeaderLength)
            {
                problem = SenseReason.ParameterListLengthError;
                return false;
            }

            var descriptorLength = SegmentHeaderLength + BinaryPrimitives.ReadUInt16BigEndian(list[(offset + SegmentLengthOffset)..]);
            if (list[offset] != BlockToBlock)
            {
                problem = SenseReason.UnsupportedSegmentDescriptorTypeCode;
                return false;
            }

            if (descriptorLength != SegmentHeaderLength + BlockToBlockLength)
            {
                problem = SenseProblem.ParameterField(listOffset + offset + SegmentLengthOffset);
                return false;
            }

            if (list.Length - offset < descriptorLength)
            {
                problem = SenseReason.ParameterListLengthError;
                return false;
            }

            // SPC-4 table 133: DC (byte 1 bit 1) only matters when the block lengths differ,
            // which the copy targets this manager reaches never do.
            var descriptor = list.Slice(offset, descriptorLength);
            segments.Add(new BlockSegment(
                BinaryPrimitives.ReadUInt16BigEndian(descriptor[4..]),
                BinaryPrimitives.ReadUInt16BigEndian(descriptor[6..]),
                BinaryPrimitives.ReadUInt16BigEndian(descriptor[10..]),
                BinaryPrimitives.ReadUInt64BigEndian(descriptor[12..]),
                BinaryPrimitives.ReadUInt64BigEndian(descriptor[20..])));
            offset += descriptorLength;
        }

        problem = default;
        return true;
    }
}
