using System.Buffers.Binary;

namespace IscsiCluster.Scsi.Commands;

/// <summary>
/// Named readers for CDB fields (SPC-4 4.2, SBC-3 5.x). Each reader names the CDB
/// layout it applies to; callers have already checked the CDB is long enough.
/// </summary>
public static class Cdb
{
    /// <summary>Byte 1 flags of READ/WRITE (10/12/16): FUA (SBC-3 5.8).</summary>
    public const byte FuaBit = 0x08;

    /// <summary>The operation code (byte 0).</summary>
    public static byte OperationCode(ReadOnlySpan<byte> cdb) => cdb[0];

    /// <summary>
    /// The CDB length the group code of <paramref name="opCode"/> implies (SPC-4 4.2.5.1,
    /// table 3), or 0 for the reserved and vendor-specific groups.
    /// </summary>
    public static int LengthOf(byte opCode) => (opCode >> 5) switch
    {
        0 => 6,
        1 or 2 => 10,
        4 => 16,
        5 => 12,
        _ => 0,
    };

    /// <summary>The SERVICE ACTION field of a 12/16-byte CDB (byte 1, bits 4..0).</summary>
    public static ushort ServiceActionOf(ReadOnlySpan<byte> cdb) => (ushort)(cdb[1] & 0x1F);

    /// <summary>The FUA bit of byte 1.</summary>
    public static bool Fua(ReadOnlySpan<byte> cdb) => (cdb[1] & FuaBit) != 0;

    /// <summary>LOGICAL BLOCK ADDRESS of a 6-byte CDB (SBC-3 5.8: 21 bits in bytes 1..3).</summary>
    public static uint Lba6(ReadOnlySpan<byte> cdb) => (uint)(((cdb[1] & 0x1F) << 16) | (cdb[2] << 8) | cdb[3]);

    /// <summary>
    /// TRANSFER LENGTH of READ(6)/WRITE(6) (byte 4): SBC-3 5.8 and 5.32, zero means 256 blocks.
    /// </summary>
    public static uint TransferLength6(ReadOnlySpan<byte> cdb) => cdb[4] == 0 ? 256u : cdb[4];

    /// <summary>LOGICAL BLOCK ADDRESS of a 10-byte CDB (bytes 2..5).</summary>
    public static uint Lba10(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);

    /// <summary>TRANSFER LENGTH of a 10-byte CDB (bytes 7..8).</summary>
    public static uint TransferLength10(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);

    /// <summary>LOGICAL BLOCK ADDRESS of a 12-byte CDB (bytes 2..5).</summary>
    public static uint Lba12(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt32BigEndian(cdb[2..]);

    /// <summary>TRANSFER LENGTH of a 12-byte CDB (bytes 6..9).</summary>
    public static uint TransferLength12(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);

    /// <summary>LOGICAL BLOCK ADDRESS of a 16-byte CDB (bytes 2..9).</summary>
    public static ulong Lba16(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt64BigEndian(cdb[2..]);

    /// <summary>TRANSFER LENGTH of a 16-byte CDB (bytes 10..13).</summary>
    public static uint TransferLength16(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);

    /// <summary>ALLOCATION LENGTH or PARAMETER LIST LENGTH of a 6-byte CDB (byte 4).</summary>
    public static uint AllocationLength6(ReadOnlySpan<byte> cdb) => cdb[4];

    /// <summary>ALLOCATION LENGTH of INQUIRY (SPC-4 6.4.1: bytes 3..4).</summary>
    public static uint AllocationLengthInquiry(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt16BigEndian(cdb[3..]);

    /// <summary>ALLOCATION LENGTH or PARAMETER LIST LENGTH of a 10-byte CDB (bytes 7..8).</summary>
    public static uint AllocationLength10(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt16BigEndian(cdb[7..]);

    /// <summary>ALLOCATION LENGTH of a 12-byte CDB (bytes 6..9: REPORT LUNS, MAINTENANCE IN).</summary>
    public static uint AllocationLength12(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt32BigEndian(cdb[6..]);

    /// <summary>ALLOCATION LENGTH of SERVICE ACTION IN(16) (bytes 10..13).</summary>
    public static uint AllocationLength16(ReadOnlySpan<byte> cdb) => BinaryPrimitives.ReadUInt32BigEndian(cdb[10..]);
}
