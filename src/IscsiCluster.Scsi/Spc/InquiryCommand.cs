using System.Buffers.Binary;
using System.Text;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>INQUIRY (SPC-4 6.4): standard data or one of the unit's VPD pages.</summary>
internal sealed class InquiryCommand
{
    /// <summary>CDB usage: EVPD, PAGE CODE, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage = [OpCode.Inquiry, 0x01, 0xFF, 0xFF, 0xFF, 0x00];

    private const byte EvpdBit = 0x01;
    private const int PageCodeOffset = 2;
    private const int VpdHeaderLength = 4;

    private readonly byte _peripheral;
    private readonly byte[] _standardData;
    private readonly SortedList<byte, VpdPage> _pages = [];

    /// <param name="peripheral">Byte 0: qualifier and device type.</param>
    /// <param name="standardData">The standard INQUIRY data.</param>
    /// <param name="pages">The VPD pages besides page 00h, which lists them.</param>
    public InquiryCommand(byte peripheral, byte[] standardData, IEnumerable<VpdPage> pages)
    {
        _peripheral = peripheral;
        _standardData = standardData;
        foreach (var page in pages)
        {
            _pages.Add(page.Code, page);
        }

        _pages.Add(VpdPageCode.SupportedPages, new VpdPage(VpdPageCode.SupportedPages, _ => [VpdPageCode.SupportedPages, .. _pages.Keys.Where(k => k != VpdPageCode.SupportedPages)]));
    }

    /// <summary>An entry for the unit's command set.</summary>
    public CommandEntry Entry => CommandEntry.Sync(OpCode.Inquiry, null, ReservationAccess.Unrestricted, Usage, Handle);

    /// <summary>SPC-4 7.8.15: the unit serial number page holds the serial number as ASCII.</summary>
    public static VpdPage SerialNumberPage(string serialNumber) =>
        new(VpdPageCode.UnitSerialNumber, _ => Encoding.ASCII.GetBytes(serialNumber));

    private CommandResult Handle(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        var allocationLength = Cdb.AllocationLengthInquiry(cdb);
        var pageCode = cdb[PageCodeOffset];
        if ((cdb[1] & EvpdBit) == 0)
        {
            // SPC-4 6.4.1: with EVPD zero the PAGE CODE must be zero.
            return pageCode == 0 ? CommandResult.WithData(_standardData, allocationLength) : SenseProblem.CdbField(PageCodeOffset);
        }

        if (!_pages.TryGetValue(pageCode, out var page))
        {
            return SenseProblem.CdbField(PageCodeOffset);
        }

        var payload = page.BuildPayload(context.Command.Nexus);
        var data = new byte[VpdHeaderLength + payload.Length];
        data[0] = _peripheral;
        data[1] = pageCode;
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(2), (ushort)payload.Length);
        payload.CopyTo(data, VpdHeaderLength);
        return CommandResult.WithData(data, allocationLength);
    }
}
