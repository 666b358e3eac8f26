using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>
/// ORWRITE(16) (SBC-3 5.11): each logical block becomes the bitwise OR of its current data and
/// the data-out buffer. The read and the write form one step because the LUN actor runs one
/// command at a time, so no other command's write can fall between them.
/// </summary>
internal sealed class OrWriteCommand(Disk disk, ReadWriteCommands readWrite)
{
    /// <summary>
    /// CDB usage: DPO, FUA, FUA_NV, LBA, TRANSFER LENGTH, GROUP NUMBER. ORPROTECT is left out
    /// (no protection information, so a nonzero value is INVALID FIELD IN CDB).
    /// </summary>
    public static readonly byte[] Usage =
        [OpCode.OrWrite16, 0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    public CommandEntry Entry => new(OpCode.OrWrite16, null, ReservationAccess.Write, Usage, OrWriteAsync);

    private async ValueTask<CommandResult> OrWriteAsync(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var request = BlockRequest.Of16(cdb);
        var fua = Cdb.Fua(cdb);
        if (!readWrite.TryCheck(request, disk.MaximumTransferBlocks, out var problem))
        {
            return problem;
        }

        if (!context.TryTakeBlocks(request.Blocks, disk.BlockSize, out var data, out var refusal))
        {
            return refusal;
        }

        var length = (long)request.Blocks * disk.BlockSize;
        if (data.IsEmpty)
        {
            return CommandResult.Consumed(length);             // SBC-3 5.11: zero blocks is not an error
        }

        var merged = new byte[data.Length];
        try
        {
            await disk.Device.ReadAsync((long)request.Lba, merged, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.UnrecoveredReadError;
        }

        Or(merged, data.Span);
        try
        {
            await disk.Device.WriteAsync((long)request.Lba, merged, fua || !disk.Mode.WriteCacheEnabled, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Consumed(length);
    }

    private static void Or(Span<byte> target, ReadOnlySpan<byte> source)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] |= source[i];
        }
    }
}
