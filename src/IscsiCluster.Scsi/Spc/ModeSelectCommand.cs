using System.Buffers.Binary;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sbc;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>
/// MODE SELECT(6) and MODE SELECT(10) (SPC-4 6.9, 6.10) for the caching and control pages. A change is kept with the
/// unit's state (<see cref="ModePagePersistence"/>) before the other nexuses are owed MODE PARAMETERS CHANGED.
/// </summary>
internal sealed class ModeSelectCommand(Disk disk, NexusTable nexuses, ModePagePersistence persistence)
{
    /// <summary>CDB usage of MODE SELECT(6): PF, SP, PARAMETER LIST LENGTH.</summary>
    public static readonly byte[] Usage6 = [OpCode.ModeSelect6, 0x11, 0x00, 0x00, 0xFF, 0x00];

    /// <summary>CDB usage of MODE SELECT(10).</summary>
    public static readonly byte[] Usage10 = [OpCode.ModeSelect10, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00];

    private const byte PfBit = 0x10;
    private const byte SpBit = 0x01;

    // SPC-4 7.5.4, tables 395 and 396: mode parameter headers.
    private const int Header6Length = 4;
    private const int Header10Length = 8;
    private const int MediumType6Offset = 1;
    private const int DescriptorLength6Offset = 3;
    private const int MediumType10Offset = 2;
    private const int LongLba10Offset = 4;
    private const int DescriptorLength10Offset = 6;
    private const byte LongLbaBit = 0x01;
    private const int ShortDescriptorLength = 8;
    private const int LongDescriptorLength = 16;
    private const byte SubpageFormatBit = 0x40;

    public IEnumerable<CommandEntry> Entries =>
    [
        CommandEntry.Sync(OpCode.ModeSelect6, null, ReservationAccess.Write, Usage6, c => Handle(c, false)),
        CommandEntry.Sync(OpCode.ModeSelect10, null, ReservationAccess.Write, Usage10, c => Handle(c, true)),
    ];

    private CommandResult Handle(CommandContext context, bool ten)
    {
        var cdb = context.Cdb.Span;

        // SPC-4 6.9: PF zero asks for a vendor-specific format; SP one asks to save, and no
        // page is savable.
        if ((cdb[1] & PfBit) == 0)
        {
            return SenseProblem.CdbField(1, 4);
        }

        if ((cdb[1] & SpBit) != 0)
        {
            return SenseProblem.CdbField(1, 0);
        }

        var listLength = ten ? Cdb.AllocationLength10(cdb) : Cdb.AllocationLength6(cdb);
        if (listLength == 0)
        {
            return CommandResult.Good;                    // SPC-4 6.9: no data, not an error
        }

        if (!context.TryTakeDataOut(listLength, out var data, out var problem))
        {
            return problem;
        }

        if (!TryParse(data.Span, ten, out var pages, out problem))
        {
            return problem;
        }

        var changed = false;
        foreach (var (offset, length) in pages)
        {
            changed |= disk.Mode.Apply(data.Span.Slice(offset, length));
        }

        // SPC-4 7.5.7 / SAM-5 5.14: other I_T nexuses learn of the change by unit attention.
        if (changed)
        {
            persistence.Persist(disk.Mode);
            nexuses.EstablishForAll(SenseReason.ModeParametersChanged, except: context.Nexus);
        }

        return CommandResult.Consumed(listLength);
    }

    /// <summary>Checks the header, block descriptor and every page before anything is applied.</summary>
    private bool TryParse(ReadOnlySpan<byte> list, bool ten, out List<(int Offset, int Length)> pages, out SenseProblem problem)
    {
        pages = [];
        var headerLength = ten ? Header10Length : Header6Length;
        if (list.Length < headerLength)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        var mediumTypeOffset = ten ? MediumType10Offset : MediumType6Offset;
        if (list[mediumTypeOffset] != 0)
        {
            problem = SenseProblem.ParameterField(mediumTypeOffset);
            return false;
        }

        var descriptorLengthOffset = ten ? DescriptorLength10Offset : DescriptorLength6Offset;
        var descriptorLength = ten ? BinaryPrimitives.ReadUInt16BigEndian(list[DescriptorLength10Offset..]) : list[DescriptorLength6Offset];
        var longLba = ten && (list[LongLba10Offset] & LongLbaBit) != 0;
        if (descriptorLength != 0 && descriptorLength != (longLba ? LongDescriptorLength : ShortDescriptorLength))
        {
            problem = SenseProblem.ParameterField(descriptorLengthOffset);
            return false;
        }

        if (headerLength + descriptorLength > list.Length)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        if (descriptorLength != 0 && !TryCheckBlockDescriptor(list.Slice(headerLength, descriptorLength), headerLength, out problem))
        {
            return false;
        }

        var offset = headerLength + descriptorLength;
        while (offset < list.Length)
        {
            if (!TryCheckPage(list, offset, out var length, out problem))
            {
                return false;
            }

            pages.Add((offset, length));
            offset += length;
        }

        problem = default;
        return true;
    }

    private bool TryCheckPage(ReadOnlySpan<byte> list, int offset, out int length, out SenseProblem problem)
    {
        length = 0;
        if (offset + 2 > list.Length || offset + 2 + list[offset + 1] > list.Length)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        var code = (byte)(list[offset] & 0x3F);
        if ((list[offset] & SubpageFormatBit) != 0)
        {
            problem = SenseProblem.ParameterField(offset, 6);
            return false;
        }

        if (!ModePages.Codes.Contains(code))
        {
            problem = SenseProblem.ParameterField(offset, 5);
            return false;
        }

        if (list[offset + 1] != ModePages.LengthOf(code))
        {
            problem = SenseProblem.ParameterField(offset + 1);
            return false;
        }

        length = 2 + list[offset + 1];
        var field = disk.Mode.FindUnchangeableField(list.Slice(offset, length));
        if (field >= 0)
        {
            problem = SenseProblem.ParameterField(offset + field);
            return false;
        }

        problem = default;
        return true;
    }

    /// <summary>
    /// SBC-3 6.4.2: the capacity cannot be changed (NUMBER OF LOGICAL BLOCKS zero or the
    /// current value) nor the block size (LOGICAL BLOCK LENGTH the current value).
    /// </summary>
    private bool TryCheckBlockDescriptor(ReadOnlySpan<byte> descriptor, int baseOffset, out SenseProblem problem)
    {
        var isLong = descriptor.Length == LongDescriptorLength;
        var blocks = isLong ? BinaryPrimitives.ReadUInt64BigEndian(descriptor) : BinaryPrimitives.ReadUInt32BigEndian(descriptor);
        var current = isLong ? disk.BlockCount : Math.Min(disk.BlockCount, uint.MaxValue);
        if (blocks != 0 && blocks != current)
        {
            problem = SenseProblem.ParameterField(baseOffset);
            return false;
        }

        var blockLengthOffset = isLong ? 12 : 4;
        var blockLength = BinaryPrimitives.ReadUInt32BigEndian(descriptor[blockLengthOffset..]);
        if (blockLength != (uint)disk.BlockSize)
        {
            problem = SenseProblem.ParameterField(baseOffset + blockLengthOffset);
            return false;
        }

        problem = default;
        return true;
    }
}
