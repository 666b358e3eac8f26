using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Reservations;
using IscsiCluster.Scsi.Sense;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>READ CAPACITY(10) and READ CAPACITY(16) (SBC-3 5.15, 5.16).</summary>
internal sealed class ReadCapacityCommands(Disk disk)
{
    /// <summary>CDB usage of READ CAPACITY(10): LOGICAL BLOCK ADDRESS, PMI.</summary>
    public static readonly byte[] Usage10 = [OpCode.ReadCapacity10, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x01, 0x00];

    /// <summary>CDB usage of READ CAPACITY(16): SERVICE ACTION, LOGICAL BLOCK ADDRESS, ALLOCATION LENGTH, PMI.</summary>
    public static readonly byte[] Usage16 =
        [OpCode.ServiceActionIn16, 0x1F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00];

    /// <summary>READ CAPACITY(10) parameter data length (SBC-3 table 63).</summary>
    public const int Data10Length = 8;

    /// <summary>READ CAPACITY(16) parameter data length (SBC-3 table 65).</summary>
    public const int Data16Length = 32;

    private const int LbaOffset = 2;
    private const int Pmi10Offset = 8;
    private const int Pmi16Offset = 14;
    private const byte PmiBit = 0x01;
    private const byte Lbpme = 0x80;                      // byte 14: logical block provisioning enabled
    private const byte Lbprz = 0x40;                      // byte 14: unmapped blocks read as zeros

    public IEnumerable<CommandEntry> Entries =>
    [
        CommandEntry.Sync(OpCode.ReadCapacity10, null, ReservationAccess.Status, Usage10, Handle10),
        CommandEntry.Sync(OpCode.ServiceActionIn16, ServiceAction.ReadCapacity16, ReservationAccess.Status, Usage16, Handle16),
    ];

    private CommandResult Handle10(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        if (!TryCheckPmi(cdb, Cdb.Lba10(cdb), Pmi10Offset, out var problem))
        {
            return problem;
        }

        // SBC-3 5.15.2: a last LBA above FFFFFFFEh is reported as FFFFFFFFh (use READ CAPACITY(16)).
        var data = new byte[Data10Length];
        BinaryPrimitives.WriteUInt32BigEndian(data, (uint)Math.Min(LastLba, uint.MaxValue));
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), (uint)disk.BlockSize);
        return CommandResult.WithData(data);
    }

    private CommandResult Handle16(CommandContext context)
    {
        var cdb = context.Cdb.Span;
        if (!TryCheckPmi(cdb, Cdb.Lba16(cdb), Pmi16Offset, out var problem))
        {
            return problem;
        }

        var data = new byte[Data16Length];
        BinaryPrimitives.WriteUInt64BigEndian(data, LastLba);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(8), (uint)disk.BlockSize);
        // Byte 12: no protection (P_TYPE, PROT_EN zero). Byte 13: P_I_EXPONENT zero and the
        // LOGICAL BLOCKS PER PHYSICAL BLOCK EXPONENT. Bytes 14..15: LBPME, LBPRZ (thin
        // provisioned, unmapped blocks read as zeros) and LOWEST ALIGNED LBA zero.
        data[13] = disk.Options.LogicalBlocksPerPhysicalBlockExponent;
        data[14] = Lbpme | Lbprz;
        return CommandResult.WithData(data, Cdb.AllocationLength16(cdb));
    }

    /// <summary>The last LBA; a zero-block device reports zero like an empty one-block list would.</summary>
    private ulong LastLba => disk.BlockCount == 0 ? 0 : disk.BlockCount - 1;

    /// <summary>SBC-3 5.15.1: with PMI zero the LOGICAL BLOCK ADDRESS must be zero.</summary>
    private static bool TryCheckPmi(ReadOnlySpan<byte> cdb, ulong lba, int pmiOffset, out SenseProblem problem)
    {
        if ((cdb[pmiOffset] & PmiBit) == 0 && lba != 0)
        {
            problem = SenseProblem.CdbField(LbaOffset);
            return false;
        }

        problem = default;
        return true;
    }
}
