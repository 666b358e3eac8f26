using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>WRITE SAME(10) and WRITE SAME(16) (SBC-3 5.41, 5.42).</summary>
internal sealed class WriteSameCommands(Disk disk)
{
    // CDB usage. Byte 1: UNMAP, and for (16) NDOB. WRPROTECT (no protection), ANCHOR (ANC_SUP
    // is zero) and the obsolete PBDATA/LBDATA are left out, so nonzero values are rejected.
    public static readonly byte[] Usage10 = [OpCode.WriteSame10, 0x08, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];
    public static readonly byte[] Usage16 =
        [OpCode.WriteSame16, 0x09, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    private const byte UnmapBit = 0x08;
    private const byte NdobBit = 0x01;

    /// <summary>How many copies of the block one device write carries.</summary>
    private const int ChunkBytes = 1024 * 1024;

    public IEnumerable<CommandEntry> Entries =>
    [
        new(OpCode.WriteSame10, null, ReservationAccess.Write, Usage10, c => WriteSameAsync(c, BlockRequest.Of10(c.Cdb.Span))),
        new(OpCode.WriteSame16, null, ReservationAccess.Write, Usage16, c => WriteSameAsync(c, BlockRequest.Of16(c.Cdb.Span))),
    ];

    private async ValueTask<CommandResult> WriteSameAsync(CommandContext context, BlockRequest request)
    {
        var cdb = context.Cdb.Span;
        var unmap = (cdb[1] & UnmapBit) != 0;
        var noDataOut = (cdb[1] & NdobBit) != 0;        // only (16) has NDOB; (10)'s usage rejects the bit

        // SBC-3 5.42 and 6.6.4: WSNZ is one, so zero blocks (meaning "to the end of the medium")
        // is refused, as is a count above MAXIMUM WRITE SAME LENGTH.
        if (request.Blocks == 0 || request.Blocks > disk.MaximumWriteSameBlocks)
        {
            return SenseProblem.CdbField(request.LengthOffset);
        }

        if (!disk.TryCheckRange(request.Lba, request.Blocks, out var problem))
        {
            return problem;
        }

        // SBC-3 5.42: the data-out buffer is exactly one logical block; SBC-4 5.50: with NDOB
        // one there is none and the block is all zeros. Any other size is INVALID FIELD IN
        // COMMAND INFORMATION UNIT.
        var length = noDataOut ? 0 : disk.BlockSize;
        if (context.Command.DataOut.Length != length)
        {
            return SenseReason.InvalidFieldInCommandInformationUnit;
        }

        ReadOnlyMemory<byte> block = noDataOut ? new byte[disk.BlockSize] : context.Command.DataOut;
        try
        {
            // SBC-3 4.7.3.4: with UNMAP one the blocks may be unmapped when that reads back
            // the same data, which is the case for a zero block because LBPRZ is one.
            if (unmap && !block.Span.ContainsAnyExcept((byte)0))
            {
                await disk.Device.UnmapAsync((long)request.Lba, request.Blocks, context.CancellationToken);
                await UnmapCommand.SyncUnlessWriteCacheEnabledAsync(disk, changed: true, context.CancellationToken);
            }
            else
            {
                await WriteRepeatedAsync(request, block, context.CancellationToken);
            }
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Consumed(length);
    }

    private async ValueTask WriteRepeatedAsync(BlockRequest request, ReadOnlyMemory<byte> block, CancellationToken ct)
    {
        var blockSize = disk.BlockSize;
        var perChunk = (int)Math.Min(request.Blocks, Math.Max(1, ChunkBytes / blockSize));
        var chunk = new byte[perChunk * blockSize];
        for (var i = 0; i < perChunk; i++)
        {
            block.Span.CopyTo(chunk.AsSpan(i * blockSize));
        }

        var lba = (long)request.Lba;
        var remaining = (long)request.Blocks;
        var forceUnitAccess = !disk.Mode.WriteCacheEnabled;
        while (remaining > 0)
        {
            var blocks = (int)Math.Min(remaining, perChunk);
            await disk.Device.WriteAsync(lba, chunk.AsMemory(0, blocks * blockSize), forceUnitAccess, ct);
            lba += blocks;
            remaining -= blocks;
        }
    }
}
