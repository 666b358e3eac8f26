using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>
/// GET LBA STATUS (SBC-3 5.6). The block device cannot say which blocks are mapped, so
/// the answer is one descriptor from the starting LBA onward with PROVISIONING STATUS
/// 0h, which SBC-3 table 34 defines as "mapped or unknown".
/// </summary>
internal sealed class GetLbaStatusCommand(Disk disk)
{
    /// <summary>CDB usage: SERVICE ACTION, STARTING LOGICAL BLOCK ADDRESS, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage =
        [OpCode.ServiceActionIn16, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    // SBC-3 5.6.2, tables 32 and 33.
    private const int HeaderLength = 8;
    private const int DescriptorLength = 16;
    private const byte MappedOrUnknown = 0x0;

    public CommandEntry Entry => CommandEntry.Sync(OpCode.ServiceActionIn16, ServiceAction.GetLbaStatus, ReservationAccess.Read, Usage, Handle);

    private CommandResult Handle(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var start = Cdb.Lba16(cdb);

        // SBC-3 5.6.1: a STARTING LOGICAL BLOCK ADDRESS beyond the last LBA is out of range.
        if (start >= disk.BlockCount)
        {
            return SenseReason.LbaOutOfRange;
        }

        var data = new byte[HeaderLength + DescriptorLength];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(data.Length - 4));   // PARAMETER DATA LENGTH
        BinaryPrimitives.WriteUInt64BigEndian(data.AsSpan(HeaderLength), start);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(HeaderLength + 8), (uint)Math.Min(disk.BlockCount - start, uint.MaxValue));
        data[HeaderLength + 12] = MappedOrUnknown;
        return CommandResult.WithData(data, Cdb.AllocationLength16(cdb));
    }
}
