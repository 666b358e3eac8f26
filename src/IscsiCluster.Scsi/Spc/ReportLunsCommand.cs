using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>REPORT LUNS (SPC-4 6.33), answered by every logical unit from the target's inventory.</summary>
internal sealed class ReportLunsCommand(UnitEngine engine)
{
    /// <summary>CDB usage: SELECT REPORT, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage = [OpCode.ReportLuns, 0x00, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00];

    /// <summary>SPC-4 6.33: an ALLOCATION LENGTH below 16 is rejected.</summary>
    public const uint MinimumAllocationLength = 16;

    private const int SelectReportOffset = 2;
    private const int AllocationLengthOffset = 6;
    private const int HeaderLength = 8;

    // SPC-4 6.33, table 280: SELECT REPORT.
    private const byte SelectLogicalUnits = 0x00;
    private const byte SelectWellKnown = 0x01;
    private const byte SelectAll = 0x02;

    public CommandEntry Entry => CommandEntry.Sync(OpCode.ReportLuns, null, ReservationAccess.Unrestricted, Usage, Handle);

    private CommandResult Handle(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var allocationLength = Cdb.AllocationLength12(cdb);
        var select = cdb[SelectReportOffset];
        if (select is not (SelectLogicalUnits or SelectWellKnown or SelectAll))
        {
            return SenseProblem.CdbField(SelectReportOffset);
        }

        if (allocationLength < MinimumAllocationLength)
        {
            return SenseProblem.CdbField(AllocationLengthOffset);
        }

        // SPC-4 6.33: running REPORT LUNS clears this nexus's REPORTED LUNS DATA HAS CHANGED.
        context.Nexus.Clear(SenseReason.ReportedLunsDataHasChanged);
        IReadOnlyList<ulong> luns = select == SelectWellKnown ? [] : engine.Inventory;   // there are no well known logical units
        var data = new byte[HeaderLength + (LunAddress.Length * luns.Count)];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)(LunAddress.Length * luns.Count));
        for (var i = 0; i < luns.Count; i++)
        {
            LunAddress.Encode(luns[i], data.AsSpan(HeaderLength + (LunAddress.Length * i)));
        }

        return CommandResult.WithData(data, allocationLength);
    }
}
