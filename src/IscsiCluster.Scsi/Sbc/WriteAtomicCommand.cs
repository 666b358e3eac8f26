using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>
/// WRITE ATOMIC(16) (SBC-4 5.48): a write that either changes every block or none, even across
/// a power loss. Every write this unit hands the block device is one call, which the
/// <see cref="IBlockDevice"/> contract makes all-or-nothing, and the LUN actor runs one command
/// at a time, so no other command sees part of it; the limit is MAXIMUM TRANSFER LENGTH.
/// </summary>
internal sealed class WriteAtomicCommand(Disk disk, ReadWriteCommands readWrite)
{
    /// <summary>
    /// CDB usage: DPO, FUA, LBA, TRANSFER LENGTH, GROUP NUMBER. WRPROTECT (no protection
    /// information) and ATOMIC BOUNDARY (bytes 10..11: MAXIMUM ATOMIC BOUNDARY SIZE is zero)
    /// are left out, so nonzero values are INVALID FIELD IN CDB.
    /// </summary>
    public static readonly byte[] Usage =
        [OpCode.WriteAtomic16, 0x18, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0xFF, 0xFF, 0x1F, 0x00];

    private const int TransferLengthOffset = 12;

    public CommandEntry Entry => new(OpCode.WriteAtomic16, null, ReservationAccess.Write, Usage, WriteAtomicAsync);

    private async ValueTask<CommandResult> WriteAtomicAsync(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var request = new BlockRequest(Cdb.Lba16(cdb), BinaryPrimitives.ReadUInt16BigEndian(cdb[TransferLengthOffset..]), TransferLengthOffset);

        // SBC-4 5.48: a TRANSFER LENGTH above MAXIMUM ATOMIC TRANSFER LENGTH is INVALID FIELD IN
        // CDB; ATOMIC ALIGNMENT and ATOMIC TRANSFER LENGTH GRANULARITY are zero (no constraint).
        if (!readWrite.TryCheck(request, disk.MaximumTransferBlocks, out var problem))
        {
            return problem;
        }

        // A partial write is what this command forbids: anything but the whole data-out is refused.
        var length = (long)request.Blocks * disk.BlockSize;
        if (!context.TryTakeDataOut(length, out var data, out problem))
        {
            return CommandResult.Check(problem, length);
        }

        if (length == 0)
        {
            return CommandResult.Good;                          // SBC-4 5.48: zero blocks is not an error
        }

        try
        {
            await disk.Device.WriteAsync((long)request.Lba, data, Cdb.Fua(cdb) || !disk.Mode.WriteCacheEnabled, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Consumed(length);
    }
}
