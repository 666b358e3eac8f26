using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>
/// COMPARE AND WRITE (SBC-3 5.2). Atomic because the LUN actor runs one command at a
/// time: nothing can write between the read and the write.
/// </summary>
internal sealed class CompareAndWriteCommand(Disk disk)
{
    /// <summary>CDB usage: DPO, FUA, FUA_NV, LBA, NUMBER OF LOGICAL BLOCKS, GROUP NUMBER (WRPROTECT unsupported).</summary>
    public static readonly byte[] Usage =
        [OpCode.CompareAndWrite, 0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0x1F, 0x00];

    private const int BlocksOffset = 13;

    public CommandEntry Entry => new(OpCode.CompareAndWrite, null, ReservationAccess.Write, Usage, CompareAndWriteAsync);

    private async ValueTask<CommandResult> CompareAndWriteAsync(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var lba = Cdb.Lba16(cdb);
        uint blocks = cdb[BlocksOffset];
        var fua = Cdb.Fua(cdb);

        // SBC-3 5.2: more than MAXIMUM COMPARE AND WRITE LENGTH blocks is INVALID FIELD IN CDB.
        if (blocks > disk.Options.MaximumCompareAndWriteBlocks)
        {
            return SenseProblem.CdbField(BlocksOffset);
        }

        if (!disk.TryCheckRange(lba, blocks, out var problem))
        {
            return problem;
        }

        // SBC-3 5.2: the data-out buffer holds the verify instance then the write instance, each
        // NUMBER OF LOGICAL BLOCKS long. Half of a buffer of any other size cannot be told from
        // the other half, so the CDB and the data disagree: INVALID FIELD IN CDB at the count
        // (as Linux LIO answers), and nothing is read or written.
        var half = (long)blocks * disk.BlockSize;
        var dataOut = context.Command.DataOut;
        if (dataOut.Length != 2 * half)
        {
            return SenseProblem.CdbField(BlocksOffset);
        }

        if (blocks == 0)
        {
            return CommandResult.Good;                    // SBC-3 5.2: zero blocks is not an error
        }

        var current = new byte[half];
        try
        {
            await disk.Device.ReadAsync((long)lba, current, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.UnrecoveredReadError;
        }

        if (Miscompare.TryFind(dataOut.Span[..(int)half], current, 0, out problem))
        {
            return problem;
        }

        try
        {
            await disk.Device.WriteAsync((long)lba, dataOut[(int)half..], fua || !disk.Mode.WriteCacheEnabled, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Consumed(2 * half);
    }
}
