using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>
/// PRE-FETCH(10) and (16) (SBC-3 5.12, 5.13). The unit keeps no cache of its own, so
/// after the checks it answers GOOD, which SBC-3 defines as "the cache cannot hold the
/// blocks" (CONDITION MET would promise they are cached).
/// </summary>
internal sealed class PreFetchCommands(Disk disk, ReadWriteCommands readWrite)
{
    /// <summary>CDB usage of (10): IMMED, LBA, GROUP NUMBER, PREFETCH LENGTH.</summary>
    public static readonly byte[] Usage10 = [OpCode.PreFetch10, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0xFF, 0xFF, 0x00];

    /// <summary>CDB usage of (16).</summary>
    public static readonly byte[] Usage16 =
        [OpCode.PreFetch16, 0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x1F, 0x00];

    public IEnumerable<CommandEntry> Entries =>
    [
        CommandEntry.Sync(OpCode.PreFetch10, null, ReservationAccess.Read, Usage10, c => Handle(BlockRequest.Of10(c.Cdb.Span))),
        CommandEntry.Sync(OpCode.PreFetch16, null, ReservationAccess.Read, Usage16, c => Handle(BlockRequest.Of16(c.Cdb.Span))),
    ];

    /// <summary>The range must lie on the medium and within MAXIMUM PREFETCH LENGTH (block limits VPD page).</summary>
    private CommandResult Handle(BlockRequest request) =>
        readWrite.TryCheck(request, disk.MaximumTransferBlocks, out var problem) ? CommandResult.Good : (CommandResult)problem;
}
