using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sbc;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Spc;

/// <summary>MODE SENSE(6) and MODE SENSE(10) (SPC-4 6.11, 6.12; SBC-3 6.4.1 for the block descriptor).</summary>
internal sealed class ModeSenseCommand(Disk disk)
{
    /// <summary>CDB usage of MODE SENSE(6): DBD, PC, PAGE CODE, SUBPAGE CODE, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage6 = [OpCode.ModeSense6, 0x08, 0xFF, 0xFF, 0xFF, 0x00];

    /// <summary>CDB usage of MODE SENSE(10): LLBAA, DBD, PC, PAGE CODE, SUBPAGE CODE, ALLOCATION LENGTH.</summary>
    public static readonly byte[] Usage10 = [OpCode.ModeSense10, 0x18, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0x00];

    private const byte DbdBit = 0x08;
    private const byte LlbaaBit = 0x10;
    private const int PageOffset = 2;
    private const int SubpageOffset = 3;
    private const byte AllSubpages = 0xFF;

    // SPC-4 7.5.4: mode parameter headers; SBC-3 6.4.1: device-specific parameter DPOFUA.
    private const int Header6Length = 4;
    private const int Header10Length = 8;
    private const byte DpoFua = 0x10;
    private const byte LongLba = 0x01;
    private const int ShortDescriptorLength = 8;
    private const int LongDescriptorLength = 16;

    public IEnumerable<CommandEntry> Entries =>
    [
        CommandEntry.Sync(OpCode.ModeSense6, null, ReservationAccess.Read, Usage6, c => Handle(c, false)),
        CommandEntry.Sync(OpCode.ModeSense10, null, ReservationAccess.Read, Usage10, c => Handle(c, true)),
    ];

    private CommandResult Handle(CommandContext context, bool ten)
    {
        var cdb = context.Cdb.Span;
        var control = (PageControl)(cdb[PageOffset] >> 6);
        var pageCode = (byte)(cdb[PageOffset] & 0x3F);
        var subpage = cdb[SubpageOffset];

        // SPC-4 6.11.1: saved values are not implemented.
        if (control == PageControl.Saved)
        {
            return new SenseProblem(SenseReason.SavingParametersNotSupported, new FieldPointer(true, PageOffset, 7));
        }

        // No page has subpages: SUBPAGE CODE 00h, or FFh for "all subpages" (only subpage 0 exists).
        if (subpage is not 0 and not AllSubpages)
        {
            return SenseProblem.CdbField(SubpageOffset);
        }

        IReadOnlyList<byte> codes;
        if (pageCode == ModePages.AllPages)
        {
            codes = ModePages.Codes;
        }
        else if (ModePages.Codes.Contains(pageCode))
        {
            codes = [pageCode];
        }
        else
        {
            return SenseProblem.CdbField(PageOffset, 5);
        }

        var pages = codes.SelectMany(code => disk.Mode.Build(code, control)).ToArray();
        var descriptor = (cdb[1] & DbdBit) != 0 ? [] : BlockDescriptor(ten && (cdb[1] & LlbaaBit) != 0);
        var headerLength = ten ? Header10Length : Header6Length;
        var data = new byte[headerLength + descriptor.Length + pages.Length];
        if (ten)
        {
            BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)(data.Length - 2));
            data[3] = DpoFua;
            data[4] = descriptor.Length == LongDescriptorLength ? LongLba : (byte)0;
            BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(6), (ushort)descriptor.Length);
        }
        else
        {
            data[0] = (byte)(data.Length - 1);
            data[2] = DpoFua;
            data[3] = (byte)descriptor.Length;
        }

        descriptor.CopyTo(data, headerLength);
        pages.CopyTo(data, headerLength + descriptor.Length);
        var allocationLength = ten ? Cdb.AllocationLength10(cdb) : Cdb.AllocationLength6(cdb);
        return CommandResult.WithData(data, allocationLength);
    }

    /// <summary>SBC-3 6.4.2: short (capped at FFFFFFFFh blocks) or long LBA block descriptor.</summary>
    private byte[] BlockDescriptor(bool longLba)
    {
        var blocks = disk.BlockCount;
        if (longLba)
        {
            var descriptor = new byte[LongDescriptorLength];
            BinaryPrimitives.WriteUInt64BigEndian(descriptor, blocks);
            BinaryPrimitives.WriteUInt32BigEndian(descriptor.AsSpan(12), (uint)disk.BlockSize);
            return descriptor;
        }

        var shortDescriptor = new byte[ShortDescriptorLength];
        BinaryPrimitives.WriteUInt32BigEndian(shortDescriptor, (uint)Math.Min(blocks, uint.MaxValue));
        BinaryPrimitives.WriteUInt32BigEndian(shortDescriptor.AsSpan(4), (uint)disk.BlockSize); // byte 4 reserved, 5..7 length
        return shortDescriptor;
    }
}
