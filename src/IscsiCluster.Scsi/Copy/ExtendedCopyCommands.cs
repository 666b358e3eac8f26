using System.Buffers.Binary;
using IscsiCluster.Scsi.Attention;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sbc;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Copy;

/// <summary>
/// The copy manager of one disk: EXTENDED COPY(LID1) (SPC-4 6.3) with block device to block
/// device segments whose source and destination are this logical unit, named by its NAA
/// designator, and RECEIVE COPY RESULTS (SPC-4 6.18) COPY STATUS and OPERATING PARAMETERS.
/// A copy runs to its end inside the command (the LUN actor runs one command at a time), so
/// no copy is ever in progress when another command arrives.
/// </summary>
internal sealed class ExtendedCopyCommands(Disk disk, byte[] naaDesignation, CopyLimits limits)
{
    /// <summary>CDB usage of EXTENDED COPY(LID1): SERVICE ACTION, PARAMETER LIST LENGTH (bytes 10..13).</summary>
    public static readonly byte[] UsageExtendedCopy =
        [OpCode.ExtendedCopy, 0x1F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    /// <summary>CDB usage of RECEIVE COPY RESULTS: SERVICE ACTION, LIST IDENTIFIER, ALLOCATION LENGTH (bytes 10..13).</summary>
    public static readonly byte[] UsageReceiveCopyResults =
        [OpCode.ReceiveCopyResults, 0x1F, 0xFF, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    private const int ParameterListLengthOffset = 10;
    private const int ListIdOffset = 2;
    private const int AllocationLengthOffset = 10;
    private const int BlockDeviceType = 0x00;
    private const int LuIdTypeProxyToken = 1;

    // SPC-4 6.18.2, table 323: COPY STATUS.
    private const int CopyStatusLength = 12;
    private const byte CompletedWithoutErrors = 0x00;
    private const byte CompletedWithErrors = 0x01;
    private const byte TransferCountInBytes = 0x00;

    // SPC-4 6.18.4, table 329: OPERATING PARAMETERS (fields at their byte offsets).
    private const int OperatingParametersHeaderLength = 44;
    private const int TotalConcurrentCopiesOffset = 34;

    private readonly Dictionary<(NexusKey Nexus, byte ListId), CopyStatus> _held = [];

    public IEnumerable<CommandEntry> Entries =>
    [
        new(OpCode.ExtendedCopy, ServiceAction.ExtendedCopyLid1, ReservationAccess.Write, UsageExtendedCopy, ExtendedCopyAsync),
        // SPC-4 5.13.1, table 50: RECEIVE COPY RESULTS is restricted as EXTENDED COPY is.
        CommandEntry.Sync(OpCode.ReceiveCopyResults, ServiceAction.CopyStatus, ReservationAccess.Write, UsageReceiveCopyResults, ReportCopyStatus),
        CommandEntry.Sync(OpCode.ReceiveCopyResults, ServiceAction.OperatingParameters, ReservationAccess.Write, UsageReceiveCopyResults,
            ReportOperatingParameters),
    ];

    /// <summary>The nexus is gone: the results held for it go too (SPC-4 6.18.1: held data belongs to an I_T nexus).</summary>
    public void Forget(NexusKey nexus)
    {
        foreach (var key in _held.Keys.Where(k => k.Nexus == nexus).ToList())
        {
            _held.Remove(key);
        }
    }

    private async ValueTask<CommandResult> ExtendedCopyAsync(CommandContext context)
    {
        var listLength = BinaryPrimitives.ReadUInt32BigEndian(context.Cdb.Span[ParameterListLengthOffset..]);

        // SPC-4 6.3.1: a PARAMETER LIST LENGTH of zero copies nothing and is not an error.
        if (listLength == 0)
        {
            return CommandResult.Good;
        }

        if (listLength < CopyParameterList.HeaderLength)
        {
            return SenseReason.ParameterListLengthError;
        }

        if (!context.TryTakeDataOut(listLength, out var data, out var problem))
        {
            return problem;
        }

        if (!CopyParameterList.TryParse(data.Span, limits, out var list, out problem))
        {
            return problem;
        }

        var (processed, bytes, result) = await RunSegmentsAsync(list, context.CancellationToken);
        if (list.ListIdUsage == CopyParameterList.ListIdUsageHold)
        {
            var status = result.Problem is null ? CompletedWithoutErrors : CompletedWithErrors;
            _held[(NexusKey.From(context.Command.Nexus), list.ListId)] = new CopyStatus(status, processed, bytes);
        }

        return result.Problem is null ? CommandResult.Consumed(listLength) : result;
    }

    private async ValueTask<(ushort Processed, long Bytes, CommandResult Result)> RunSegmentsAsync(CopyParameterList list, CancellationToken ct)
    {
        ushort processed = 0;
        long bytes = 0;
        foreach (var segment in list.Segments)
        {
            var result = await CopyAsync(list.Targets, segment, ct);
            if (result.Problem is not null)
            {
                return (processed, bytes, result);
            }

            processed++;
            bytes += (long)segment.Blocks * disk.BlockSize;
        }

        return (processed, bytes, CommandResult.Good);
    }

    /// <summary>
    /// SPC-4 6.3.7.5: copies NUMBER OF BLOCKS from the source to the destination. Both CSCDs
    /// must be this logical unit and both ranges must exist, else the copy stops with COPY
    /// ABORTED (as Linux LIO reports an unreachable or failing copy target).
    /// </summary>
    private async ValueTask<CommandResult> CopyAsync(IReadOnlyList<CopyTarget> targets, BlockSegment segment, CancellationToken ct)
    {
        if (!IsThisUnit(targets, segment.SourceIndex) || !IsThisUnit(targets, segment.DestinationIndex)
            || !disk.TryCheckRange(segment.SourceLba, segment.Blocks, out _)
            || !disk.TryCheckRange(segment.DestinationLba, segment.Blocks, out _))
        {
            return SenseReason.CopyTargetDeviceNotReachable;
        }

        // Chunks of at most MAXIMUM TRANSFER LENGTH; walking backwards when the destination
        // starts inside the source keeps an overlapping copy from reading what it just wrote.
        var chunk = (int)Math.Min(segment.Blocks, disk.MaximumTransferBlocks);
        var buffer = new byte[chunk * disk.BlockSize];
        var backwards = segment.DestinationLba > segment.SourceLba;
        var forceUnitAccess = !disk.Mode.WriteCacheEnabled;
        try
        {
            for (var done = 0; done < segment.Blocks;)
            {
                var blocks = Math.Min(chunk, segment.Blocks - done);
                var offset = backwards ? segment.Blocks - done - blocks : done;
                var memory = buffer.AsMemory(0, blocks * disk.BlockSize);
                await disk.Device.ReadAsync((long)segment.SourceLba + offset, memory, ct);
                await disk.Device.WriteAsync((long)segment.DestinationLba + offset, memory, forceUnitAccess, ct);
                done += blocks;
            }
        }
        catch (IOException)
        {
            return SenseReason.CopyTargetDeviceNotReachable;
        }

        return CommandResult.Good;
    }

    /// <summary>
    /// SPC-4 6.3.6.2: the CSCD names a block device by a designator; this copy manager reaches
    /// only its own logical unit (a proxy token, LU ID TYPE 01b, names nothing it knows).
    /// </summary>
    private bool IsThisUnit(IReadOnlyList<CopyTarget> targets, int index)
    {
        if (index >= targets.Count)
        {
            return false;
        }

        var target = targets[index];
        return target.LuIdType != LuIdTypeProxyToken
            && target.PeripheralDeviceType == BlockDeviceType
            && target.BlockLength == disk.BlockSize
            && SameDesignation(target.Designation, naaDesignation);
    }

    /// <summary>Compares CODE SET, ASSOCIATION, DESIGNATOR TYPE, length and designator (the PIV and protocol bits do not name the unit).</summary>
    private static bool SameDesignation(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) =>
        a.Length == b.Length && (a[0] & 0x0F) == (b[0] & 0x0F) && (a[1] & 0x3F) == (b[1] & 0x3F) && a[3..].SequenceEqual(b[3..]);

    /// <summary>
    /// SPC-4 6.18.2: the held results of the copy with LIST IDENTIFIER from this nexus; a list
    /// identifier with nothing held is INVALID FIELD IN CDB.
    /// </summary>
    private CommandResult ReportCopyStatus(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        if (!_held.TryGetValue((NexusKey.From(context.Command.Nexus), cdb[ListIdOffset]), out var status))
        {
            return SenseProblem.CdbField(ListIdOffset);
        }

        var data = new byte[CopyStatusLength];
        BinaryPrimitives.WriteUInt32BigEndian(data, CopyStatusLength - 4);               // AVAILABLE DATA
        data[4] = status.CopyManagerStatus;                                               // HDD zero
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(5), status.SegmentsProcessed);
        data[7] = TransferCountInBytes;
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), (uint)Math.Min(status.Bytes, uint.MaxValue));
        return CommandResult.WithData(data, BinaryPrimitives.ReadUInt32BigEndian(cdb[AllocationLengthOffset..]));
    }

    /// <summary>SPC-4 6.18.4, table 329: the limits this copy manager enforces and the descriptor types it implements.</summary>
    private CommandResult ReportOperatingParameters(CommandContext context)
    {
        byte[] implemented = [CopyParameterList.BlockToBlock, CopyParameterList.IdentificationDescriptor];
        var data = new byte[OperatingParametersHeaderLength + implemented.Length];
        var span = data.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)(data.Length - 4));            // AVAILABLE DATA; SNLID zero
        BinaryPrimitives.WriteUInt16BigEndian(span[8..], (ushort)limits.MaximumTargetDescriptors);
        BinaryPrimitives.WriteUInt16BigEndian(span[10..], (ushort)limits.MaximumSegmentDescriptors);
        BinaryPrimitives.WriteUInt32BigEndian(span[12..], (uint)limits.MaximumDescriptorListLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[16..], (uint)(ushort.MaxValue * disk.BlockSize));   // MAXIMUM SEGMENT LENGTH
        // MAXIMUM INLINE DATA LENGTH, HELD DATA LIMIT and MAXIMUM STREAM DEVICE TRANSFER SIZE stay zero.
        BinaryPrimitives.WriteUInt16BigEndian(span[TotalConcurrentCopiesOffset..], 1);
        span[TotalConcurrentCopiesOffset + 2] = 1;                                        // MAXIMUM CONCURRENT COPIES
        span[TotalConcurrentCopiesOffset + 3] = (byte)Math.Log2(disk.BlockSize);         // DATA SEGMENT GRANULARITY (2^n bytes)
        span[OperatingParametersHeaderLength - 1] = (byte)implemented.Length;
        implemented.CopyTo(span[OperatingParametersHeaderLength..]);
        return CommandResult.WithData(data, BinaryPrimitives.ReadUInt32BigEndian(context.Cdb.Span[AllocationLengthOffset..]));
    }

    private sealed record CopyStatus(byte CopyManagerStatus, ushort SegmentsProcessed, long Bytes);
}
