using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>VERIFY (10), (12), (16) and WRITE AND VERIFY (10), (12), (16) (SBC-3 5.29-5.31, 5.38-5.40).</summary>
internal sealed class VerifyCommands(Disk disk, ReadWriteCommands readWrite)
{
    // VERIFY byte 1: DPO and BYTCHK (bits 2..1); VRPROTECT unsupported.
    public static readonly byte[] UsageVerify10 = [OpCode.Verify10, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];
    public static readonly byte[] UsageVerify12 = [OpCode.Verify12, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];
    public static readonly byte[] UsageVerify16 =
        [OpCode.Verify16, 0x16, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    // WRITE AND VERIFY byte 1: DPO and BYTCHK (bit 1); WRPROTECT unsupported.
    public static readonly byte[] UsageWriteAndVerify10 = [OpCode.WriteAndVerify10, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];
    public static readonly byte[] UsageWriteAndVerify12 =
        [OpCode.WriteAndVerify12, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];
    public static readonly byte[] UsageWriteAndVerify16 =
        [OpCode.WriteAndVerify16, 0x12, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    // SBC-3 5.29, table 102: BYTCHK.
    private const int ByteCheckShift = 1;
    private const int ByteCheckMask = 0x3;
    private const int ByteCheckNone = 0;
    private const int ByteCheckBlocks = 1;
    private const int ByteCheckOneBlock = 3;

    public IEnumerable<CommandEntry> Entries =>
    [
        new(OpCode.Verify10, null, ReservationAccess.Read, UsageVerify10, c => VerifyAsync(c, BlockRequest.Of10(c.Cdb.Span))),
        new(OpCode.Verify12, null, ReservationAccess.Read, UsageVerify12, c => VerifyAsync(c, BlockRequest.Of12(c.Cdb.Span))),
        new(OpCode.Verify16, null, ReservationAccess.Read, UsageVerify16, c => VerifyAsync(c, BlockRequest.Of16(c.Cdb.Span))),
        new(OpCode.WriteAndVerify10, null, ReservationAccess.Write, UsageWriteAndVerify10, c => WriteAndVerifyAsync(c, BlockRequest.Of10(c.Cdb.Span))),
        new(OpCode.WriteAndVerify12, null, ReservationAccess.Write, UsageWriteAndVerify12, c => WriteAndVerifyAsync(c, BlockRequest.Of12(c.Cdb.Span))),
        new(OpCode.WriteAndVerify16, null, ReservationAccess.Write, UsageWriteAndVerify16, c => WriteAndVerifyAsync(c, BlockRequest.Of16(c.Cdb.Span))),
    ];

    /// <summary>
    /// SBC-3 5.29: BYTCHK 00b reads the blocks (a device error is the verify failure);
    /// 01b compares them with the data-out buffer; 11b compares each with the single
    /// block sent; 10b is reserved.
    /// </summary>
    private async ValueTask<CommandResult> VerifyAsync(CommandContext context, BlockRequest request)
    {
        var byteCheck = (context.Cdb.Span[1] >> ByteCheckShift) & ByteCheckMask;
        if (byteCheck is not (ByteCheckNone or ByteCheckBlocks or ByteCheckOneBlock))
        {
            return SenseProblem.CdbField(1, 2);
        }

        if (!readWrite.TryCheck(request, disk.MaximumTransferBlocks, out var problem))
        {
            return problem;
        }

        var blockSize = disk.BlockSize;
        var expectedLength = byteCheck switch
        {
            ByteCheckBlocks => (long)request.Blocks * blockSize,
            ByteCheckOneBlock when request.Blocks > 0 => blockSize,
            _ => 0,
        };
        if (!context.TryTakeDataOut(expectedLength, out var expected, out problem))
        {
            return problem;
        }

        if (request.Blocks == 0)
        {
            return CommandResult.Good;
        }

        var medium = new byte[(long)request.Blocks * blockSize];
        try
        {
            await disk.Device.ReadAsync((long)request.Lba, medium, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.UnrecoveredReadError;
        }

        if (byteCheck == ByteCheckBlocks && Miscompare.TryFind(expected.Span, medium, 0, out problem))
        {
            return problem;
        }

        if (byteCheck == ByteCheckOneBlock)
        {
            for (var i = 0; i < request.Blocks; i++)
            {
                if (Miscompare.TryFind(expected.Span, medium.AsSpan(i * blockSize, blockSize), (long)i * blockSize, out problem))
                {
                    return problem;
                }
            }
        }

        return CommandResult.Consumed(expectedLength);
    }

    /// <summary>
    /// SBC-3 5.38: writes the blocks to the medium (as with FUA, since the verify must read
    /// the medium), reads them back and compares; BYTCHK only chooses how thorough the
    /// verification is, and this one is always byte by byte.
    /// </summary>
    private async ValueTask<CommandResult> WriteAndVerifyAsync(CommandContext context, BlockRequest request)
    {
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
            return CommandResult.Consumed(length);
        }

        var readBack = new byte[data.Length];
        try
        {
            await disk.Device.WriteAsync((long)request.Lba, data, forceUnitAccess: true, context.CancellationToken);
            await disk.Device.ReadAsync((long)request.Lba, readBack, context.CancellationToken);
        }
        catch (IOException)
        {
            return SenseReason.WriteError;
        }

        return Miscompare.TryFind(data.Span, readBack, 0, out problem) ? problem : CommandResult.Consumed(length);
    }
}
