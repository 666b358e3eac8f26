using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class WriteAtomicTests
{
    private const int BlockSize = 512;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public WriteAtomicTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100, options: new DiskOptions { MaximumTransferBytes = 16 * BlockSize });
        Harness.ClearPowerOn(_unit);
    }

    /// <summary>SBC-4 5.48: LBA in bytes 2..9, ATOMIC BOUNDARY in 10..11, TRANSFER LENGTH in 12..13.</summary>
    private static byte[] Cdb(ulong lba, ushort blocks, byte flags = 0, ushort boundary = 0)
    {
        var cdb = new byte[16];
        cdb[0] = OpCode.WriteAtomic16;
        cdb[1] = flags;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(10), boundary);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(12), blocks);
        return cdb;
    }

    [Fact]
    public void TheBlocksAreWrittenInOneDeviceWrite()
    {
        var data = Harness.Pattern(3 * BlockSize, 9);

        var answer = Harness.Run(_unit, Cdb(10, 3), data);

        Harness.AssertGood(answer);
        Assert.Equal(data.Length, answer.TransferLength);
        Assert.Equal((10L, 3, false), _device.Writes.Single());
        Assert.Equal(data, _device.Blocks(10, 3).ToArray());
    }

    [Fact]
    public void DpoAndFuaAreAcceptedAndFuaIsPassedOn()
    {
        Harness.AssertGood(Harness.Run(_unit, Cdb(0, 1, 0x18), new byte[BlockSize]));

        Assert.True(_device.Writes.Single().ForceUnitAccess);
    }

    [Fact]
    public void ZeroBlocksIsGood() => Harness.AssertGood(Harness.Run(_unit, Cdb(0, 0)));

    [Fact]
    public void ZeroBlocksPastTheEndIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Cdb(101, 0)));

    [Fact]
    public void RangeBeyondTheMediumIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Cdb(ulong.MaxValue, 1), new byte[BlockSize]));

    [Fact]
    public void MoreThanTheMaximumAtomicTransferLengthIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 17), new byte[17 * BlockSize]), 12);

    [Fact]
    public void WrprotectIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 1, 0x20), new byte[BlockSize]), 1, 5);

    [Fact]
    public void AnAtomicBoundaryIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 2, boundary: 1), new byte[2 * BlockSize]), 11, 0);

    [Fact]
    public void ShortDataOutWritesNothing()
    {
        var answer = Harness.Run(_unit, Cdb(0, 2), new byte[BlockSize]);

        Harness.AssertSense(answer, 0x5, 0x0E, 0x03);
        Assert.Equal(2 * BlockSize, answer.TransferLength);
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void BlockLimitsPageReportsTheMaximumAtomicTransferLengthWithoutAlignmentOrGranularity()
    {
        var page = Harness.Run(_unit, Harness.Inquiry(evpd: true, page: 0xB0)).DataIn.Span;

        Assert.Equal(16u, BinaryPrimitives.ReadUInt32BigEndian(page[44..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page[48..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page[52..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page[56..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(page[60..]));
    }
}
