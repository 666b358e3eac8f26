using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>SYNCHRONIZE CACHE(10) and (16) (SBC-3 5.22, 5.23).</summary>
internal sealed class SynchronizeCacheCommands(Disk disk)
{
    /// <summary>CDB usage of (10): SYNC_NV (obsolete, ignored), IMMED, LBA, GROUP NUMBER, NUMBER OF LOGICAL BLOCKS.</summary>
    public static readonly byte[] Usage10 = [OpCode.SynchronizeCache10, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];

    /// <summary>CDB usage of (16).</summary>
    public static readonly byte[] Usage16 =
        [OpCode.SynchronizeCache16, 0x06, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    public IEnumerable<CommandEntry> Entries =>
    [
        new(OpCode.SynchronizeCache10, null, ReservationAccess.Write, Usage10, c => SynchronizeAsync(c, BlockRequest.Of10(c.Cdb.Span))),
        new(OpCode.SynchronizeCache16, null, ReservationAccess.Write, Usage16, c => SynchronizeAsync(c, BlockRequest.Of16(c.Cdb.Span))),
    ];

    /// <summary>
    /// The range is checked (SBC-3 5.22: beyond the medium is LBA OUT OF RANGE; zero blocks
    /// means through the last LBA), then the whole device is flushed: a superset of the
    /// range. IMMED may return early; this unit always returns after the flush.
    /// </summary>
    private async ValueTask<CommandResult> SynchronizeAsync(CommandContext context, BlockRequest request)
    {
        if (!disk.TryCheckRange(request.Lba, request.Blocks, out var problem))
        {
            return problem;
        }

        try
        {
            await disk.Device.FlushAsync(context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Good;
    }
}
