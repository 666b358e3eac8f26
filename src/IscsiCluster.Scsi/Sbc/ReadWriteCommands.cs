using System.Buffers;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>READ and WRITE (6), (10), (12), (16) (SBC-3 5.8-5.11, 5.32-5.35).</summary>
internal sealed class ReadWriteCommands(Disk disk)
{
    // CDB usage. Byte 1 of READ(10/12/16): DPO, FUA, RARC and the obsolete FUA_NV; of WRITE: DPO,
    // FUA, FUA_NV. RDPROTECT/WRPROTECT are left out: without protection information a nonzero
    // value is INVALID FIELD IN CDB (SBC-3 5.8). The group number (5 bits) is accepted and ignored.
    public static readonly byte[] UsageRead6 = [OpCode.Read6, 0x1F, 0xFF, 0xFF, 0xFF, 0x00];
    public static readonly byte[] UsageRead10 = [OpCode.Read10, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];
    public static readonly byte[] UsageRead12 = [OpCode.Read12, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];
    public static readonly byte[] UsageRead16 = [OpCode.Read16, 0x1E, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];
    public static readonly byte[] UsageWrite6 = [OpCode.Write6, 0x1F, 0xFF, 0xFF, 0xFF, 0x00];
    public static readonly byte[] UsageWrite10 = [OpCode.Write10, 0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];
    public static readonly byte[] UsageWrite12 = [OpCode.Write12, 0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];
    public static readonly byte[] UsageWrite16 = [OpCode.Write16, 0x1A, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    public IEnumerable<CommandEntry> Entries =>
    [
        new(OpCode.Read6, null, ReservationAccess.Read, UsageRead6, c => ReadAsync(c, BlockRequest.Of6(c.Cdb.Span))) { MayOverlap = true },
        new(OpCode.Read10, null, ReservationAccess.Read, UsageRead10, c => ReadAsync(c, BlockRequest.Of10(c.Cdb.Span))) { MayOverlap = true },
        new(OpCode.Read12, null, ReservationAccess.Read, UsageRead12, c => ReadAsync(c, BlockRequest.Of12(c.Cdb.Span))) { MayOverlap = true },
        new(OpCode.Read16, null, ReservationAccess.Read, UsageRead16, c => ReadAsync(c, BlockRequest.Of16(c.Cdb.Span))) { MayOverlap = true },
        new(OpCode.Write6, null, ReservationAccess.Write, UsageWrite6, c => WriteAsync(c, BlockRequest.Of6(c.Cdb.Span), fua: false)) { MayOverlap = true },
        new(OpCode.Write10, null, ReservationAccess.Write, UsageWrite10, c => WriteAsync(c, BlockRequest.Of10(c.Cdb.Span), Cdb.Fua(c.Cdb.Span))) { MayOverlap = true },
        new(OpCode.Write12, null, ReservationAccess.Write, UsageWrite12, c => WriteAsync(c, BlockRequest.Of12(c.Cdb.Span), Cdb.Fua(c.Cdb.Span))) { MayOverlap = true },
        new(OpCode.Write16, null, ReservationAccess.Write, UsageWrite16, c => WriteAsync(c, BlockRequest.Of16(c.Cdb.Span), Cdb.Fua(c.Cdb.Span))) { MayOverlap = true },
    ];

    /// <summary>
    /// SBC-3 4.5 and 6.6.4: a transfer longer than MAXIMUM TRANSFER LENGTH is INVALID FIELD
    /// IN CDB (at the length field), then the range must lie within the medium.
    /// </summary>
    public bool TryCheck(BlockRequest request, uint maximumBlocks, out SenseProblem problem)
    {
        if (request.Blocks > maximumBlocks)
        {
            problem = SenseProblem.CdbField(request.LengthOffset);
            return false;
        }

        return disk.TryCheckRange(request.Lba, request.Blocks, out problem);
    }

    private async ValueTask<CommandResult> ReadAsync(CommandContext context, BlockRequest request)
    {
        if (!TryCheck(request, disk.MaximumTransferBlocks, out var problem))
        {
            return problem;
        }

        // FUA on a read asks for the medium rather than a cache; the device has no read cache
        // of its own to bypass, so it is accepted as is, and DPO is a hint (SBC-3 5.8).
        var length = (long)request.Blocks * disk.BlockSize;
        if (length == 0)
        {
            return CommandResult.Good;
        }

        // The buffer comes from the shared pool and goes back once the transport has copied it
        // out: a fresh 128 KiB array per read lands on the large object heap, and its page
        // faults and gen-2 collections cost about as much as the read. The device fills every
        // byte (unwritten blocks read as zeros), so the buffer is not cleared first.
        var rented = ArrayPool<byte>.Shared.Rent(checked((int)length));
        var data = rented.AsMemory(0, (int)length);
        try
        {
            await disk.Device.ReadAsync((long)request.Lba, data, context.CancellationToken);
        }
        catch (Exception e)
        {
            ArrayPool<byte>.Shared.Return(rented);
            if (e is IOException)
            {
                return SenseReason.UnrecoveredReadError;
            }

            throw;
        }

        return CommandResult.WithData(data) with { DataInRelease = () => ArrayPool<byte>.Shared.Return(rented) };
    }

    private async ValueTask<CommandResult> WriteAsync(CommandContext context, BlockRequest request, bool fua)
    {
        if (!TryCheck(request, disk.MaximumTransferBlocks, out var problem))
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
            return CommandResult.Consumed(length);
        }

        try
        {
            // SBC-3 6.4.5: with WCE zero a write completes only once on the medium, as with FUA.
            await disk.Device.WriteAsync((long)request.Lba, data, fua || !disk.Mode.WriteCacheEnabled, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return CommandResult.Consumed(length);
    }
}
