using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>
/// READ DEFECT DATA(10) and (12) (SBC-3 5.17, 5.18). The medium is a key-value store, which
/// has no defective sectors to list: both the primary and the grown lists are empty, so the
/// answer is the header alone, echoing the lists and format asked for.
/// </summary>
internal static class ReadDefectDataCommands
{
    /// <summary>CDB usage of (10): REQ_PLIST, REQ_GLIST, DEFECT LIST FORMAT (byte 2), ALLOCATION LENGTH (bytes 7..8).</summary>
    public static readonly byte[] Usage10 = [OpCode.ReadDefectData10, 0x00, 0x1F, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00];

    /// <summary>
    /// CDB usage of (12): REQ_PLIST, REQ_GLIST, DEFECT LIST FORMAT (byte 1), ADDRESS DESCRIPTOR
    /// INDEX (bytes 2..5), ALLOCATION LENGTH (bytes 6..9).
    /// </summary>
    public static readonly byte[] Usage12 = [OpCode.ReadDefectData12, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    // SBC-3 tables 75 and 79: the flags byte (byte 2 of the (10) CDB, byte 1 of the (12) CDB)
    // holds REQ_PLIST, REQ_GLIST and DEFECT LIST FORMAT exactly where the parameter header's
    // byte 1 holds PLISTV, GLISTV and the format, so it is echoed with the "valid" bits.
    private const int FlagsOffset10 = 2;
    private const int FlagsOffset12 = 1;
    private const byte ListsAndFormat = 0x1F;
    private const int HeaderLength10 = 4;
    private const int HeaderLength12 = 8;

    public static IEnumerable<CommandEntry> Entries =>
    [
        CommandEntry.Sync(OpCode.ReadDefectData10, null, ReservationAccess.Read, Usage10, ReadDefectData10),
        CommandEntry.Sync(OpCode.ReadDefectData12, null, ReservationAccess.Read, Usage12, ReadDefectData12),
    ];

    /// <summary>SBC-3 5.17, table 75: a 4-byte header with DEFECT LIST LENGTH zero.</summary>
    private static CommandResult ReadDefectData10(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var header = new byte[HeaderLength10];
        header[1] = (byte)(cdb[FlagsOffset10] & ListsAndFormat);
        return CommandResult.WithData(header, Cdb.AllocationLength10(cdb));
    }

    /// <summary>SBC-3 5.18, table 79: an 8-byte header with DEFECT LIST LENGTH zero.</summary>
    private static CommandResult ReadDefectData12(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var header = new byte[HeaderLength12];
        header[1] = (byte)(cdb[FlagsOffset12] & ListsAndFormat);
        return CommandResult.WithData(header, Cdb.AllocationLength12(cdb));
    }
}
