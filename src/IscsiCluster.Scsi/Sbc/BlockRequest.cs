using IscsiCluster.Scsi.Commands;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>The LBA and block count of a READ/WRITE-shaped CDB and where its length field sits (for field pointers).</summary>
internal readonly record struct BlockRequest(ulong Lba, uint Blocks, int LengthOffset)
{
    /// <summary>READ(6)/WRITE(6): SBC-3 5.8, 5.32 (a zero TRANSFER LENGTH means 256 blocks).</summary>
    public static BlockRequest Of6(ReadOnlySpan<byte> cdb) => new(Cdb.Lba6(cdb), Cdb.TransferLength6(cdb), 4);

    /// <summary>10-byte layout: LBA in bytes 2..5, length in bytes 7..8 (zero means none).</summary>
    public static BlockRequest Of10(ReadOnlySpan<byte> cdb) => new(Cdb.Lba10(cdb), Cdb.TransferLength10(cdb), 7);

    /// <summary>12-byte layout: LBA in bytes 2..5, length in bytes 6..9.</summary>
    public static BlockRequest Of12(ReadOnlySpan<byte> cdb) => new(Cdb.Lba12(cdb), Cdb.TransferLength12(cdb), 6);

    /// <summary>16-byte layout: LBA in bytes 2..9, length in bytes 10..13.</summary>
    public static BlockRequest Of16(ReadOnlySpan<byte> cdb) => new(Cdb.Lba16(cdb), Cdb.TransferLength16(cdb), 10);
}
