using System.Buffers.Binary;
using IscsiCluster.Scsi.Spc;

namespace IscsiCluster.Scsi.Sbc;

/// <summary>The SBC-3 VPD pages of a disk (SBC-3 6.6).</summary>
internal static class BlockVpdPages
{
    private const int BlockLimitsLength = 0x3C;
    private const int CharacteristicsLength = 0x3C;
    private const int ProvisioningLength = 0x04;
    private const byte Wsnz = 0x01;                       // B0h byte 4: WRITE SAME with zero blocks is rejected
    private const ushort NonRotating = 0x0001;            // B1h MEDIUM ROTATION RATE
    private const byte Lbpu = 0x80;                       // B2h byte 5: UNMAP supported
    private const byte Lbpws = 0x40;                      // WRITE SAME(16) with UNMAP supported
    private const byte Lbpws10 = 0x20;                    // WRITE SAME(10) with UNMAP supported
    private const byte Lbprz = 0x04;                      // unmapped blocks read as zeros
    private const byte ThinProvisioned = 0x02;            // B2h byte 6: PROVISIONING TYPE 010b

    public static IEnumerable<VpdPage> For(Disk disk) =>
    [
        new(VpdPageCode.BlockLimits, _ => BlockLimits(disk)),
        new(VpdPageCode.BlockDeviceCharacteristics, _ => Characteristics()),
        new(VpdPageCode.LogicalBlockProvisioning, _ => Provisioning()),
    ];

    /// <summary>SBC-3 6.6.4, table 187 (payload offsets are the table's minus the 4-byte header).</summary>
    private static byte[] BlockLimits(Disk disk)
    {
        var page = new byte[BlockLimitsLength];
        var payload = page.AsSpan();
        payload[0] = Wsnz;
        payload[1] = disk.Options.MaximumCompareAndWriteBlocks;
        BinaryPrimitives.WriteUInt16BigEndian(payload[2..], (ushort)(1 << disk.Options.LogicalBlocksPerPhysicalBlockExponent));
        BinaryPrimitives.WriteUInt32BigEndian(payload[4..], disk.MaximumTransferBlocks);
        BinaryPrimitives.WriteUInt32BigEndian(payload[8..], disk.OptimalTransferBlocks);
        BinaryPrimitives.WriteUInt32BigEndian(payload[12..], disk.MaximumTransferBlocks);      // MAXIMUM PREFETCH LENGTH
        BinaryPrimitives.WriteUInt32BigEndian(payload[16..], disk.MaximumUnmapBlocks);
        BinaryPrimitives.WriteUInt32BigEndian(payload[20..], (uint)disk.Options.MaximumUnmapDescriptors);
        BinaryPrimitives.WriteUInt32BigEndian(payload[24..], 1u << disk.Options.LogicalBlocksPerPhysicalBlockExponent); // OPTIMAL UNMAP GRANULARITY
        BinaryPrimitives.WriteUInt64BigEndian(payload[32..], disk.MaximumWriteSameBlocks);

        // SBC-4 6.6.4: MAXIMUM ATOMIC TRANSFER LENGTH (WRITE ATOMIC(16)); ATOMIC ALIGNMENT and
        // ATOMIC TRANSFER LENGTH GRANULARITY zero (no constraint); no atomic boundaries.
        BinaryPrimitives.WriteUInt32BigEndian(payload[40..], disk.MaximumTransferBlocks);
        return page;
    }

    /// <summary>SBC-3 6.6.2, table 183: a non-rotating medium, form factor not reported.</summary>
    private static byte[] Characteristics()
    {
        var page = new byte[CharacteristicsLength];
        BinaryPrimitives.WriteUInt16BigEndian(page, NonRotating);
        return page;
    }

    /// <summary>SBC-3 6.6.5, table 191: thin provisioned, UNMAP and WRITE SAME(10/16) with UNMAP, LBPRZ.</summary>
    private static byte[] Provisioning()
    {
        var page = new byte[ProvisioningLength];
        page[1] = Lbpu | Lbpws | Lbpws10 | Lbprz;
        page[2] = ThinProvisioned;
        return page;
    }
}
