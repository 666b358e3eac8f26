using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>UNMAP (SBC-3 5.28) with its parameter list (SBC-3 5.28.2).</summary>
internal sealed class UnmapCommand(Disk disk)
{
    /// <summary>CDB usage: GROUP NUMBER, PARAMETER LIST LENGTH (ANCHOR is unsupported: ANC_SUP is zero).</summary>
    public static readonly byte[] Usage = [OpCode.Unmap, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1F, 0xFF, 0xFF, 0x00];

    // SBC-3 5.28.2, tables 98 and 99.
    private const int HeaderLength = 8;
    private const int DataLengthOffset = 0;
    private const int DescriptorDataLengthOffset = 2;
    private const int DescriptorLength = 16;
    private const int DescriptorBlocksOffset = 8;

    public CommandEntry Entry => new(OpCode.Unmap, null, ReservationAccess.Write, Usage, UnmapAsync);

    private async ValueTask<CommandResult> UnmapAsync(CommandContext context)
    {
        var listLength = Cdb.AllocationLength10(context.Cdb.Span);
        if (listLength == 0)
        {
            return CommandResult.Good;                    // SBC-3 5.28.1: zero is not an error
        }

        if (!context.TryTakeDataOut(listLength, out var list, out var problem))
        {
            return problem;
        }

        if (!TryParse(list.Span, out var extents, out problem))
        {
            return problem;
        }

        try
        {
            foreach (var (lba, blocks) in extents)
            {
                await disk.Device.UnmapAsync((long)lba, blocks, context.CancellationToken);
            }

            await SyncUnlessWriteCacheEnabledAsync(disk, extents.Count > 0, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Consumed(listLength);
    }

    /// <summary>
    /// SBC-3 6.4.5: with WCE zero the device server completes a command that changes the medium only once the change is
    /// on the medium. A write passes FUA to the device for that; an unmap has no such flag, so the unmapped blocks are
    /// made durable with a flush of the device before the command completes (a superset of the range, as SYNCHRONIZE
    /// CACHE does). Nothing is flushed when <paramref name="changed"/> is false (no descriptor named a block).
    /// </summary>
    internal static async ValueTask SyncUnlessWriteCacheEnabledAsync(Disk disk, bool changed, CancellationToken cancellationToken)
    {
        if (changed && !disk.Mode.WriteCacheEnabled)
        {
            await disk.Device.FlushAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Checks the whole list before anything is unmapped: a header that does not fit the
    /// list is PARAMETER LIST LENGTH ERROR; too many descriptors or blocks is INVALID FIELD
    /// IN PARAMETER LIST (against the block limits VPD page); an extent past the medium is
    /// LBA OUT OF RANGE. A trailing partial descriptor is ignored (SBC-3 5.28.2).
    /// </summary>
    private bool TryParse(ReadOnlySpan<byte> list, out List<(ulong Lba, uint Blocks)> extents, out SenseProblem problem)
    {
        extents = [];
        problem = default;
        if (list.Length < HeaderLength)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        var dataLength = BinaryPrimitives.ReadUInt16BigEndian(list[DataLengthOffset..]);
        var descriptorDataLength = BinaryPrimitives.ReadUInt16BigEndian(list[DescriptorDataLengthOffset..]);
        if (dataLength > list.Length - 2 || descriptorDataLength > list.Length - HeaderLength)
        {
            problem = SenseReason.ParameterListLengthError;
            return false;
        }

        var count = descriptorDataLength / DescriptorLength;
        if (count > disk.Options.MaximumUnmapDescriptors)
        {
            problem = SenseProblem.ParameterField(DescriptorDataLengthOffset);
            return false;
        }

        ulong total = 0;
        for (var i = 0; i < count; i++)
        {
            var offset = HeaderLength + (i * DescriptorLength);
            var lba = BinaryPrimitives.ReadUInt64BigEndian(list[offset..]);
            var blocks = BinaryPrimitives.ReadUInt32BigEndian(list[(offset + DescriptorBlocksOffset)..]);
            total += blocks;
            if (total > disk.MaximumUnmapBlocks)
            {
                problem = SenseProblem.ParameterField(offset + DescriptorBlocksOffset);
                return false;
            }

            if (!disk.TryCheckRange(lba, blocks, out problem))
            {
                return false;
            }

            if (blocks > 0)
            {
                extents.Add((lba, blocks));
            }
        }

        return true;
    }
}
