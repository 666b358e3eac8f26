using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class WriteSameTests
{
    private const int BlockSize = 512;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public WriteSameTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 5000, options: new DiskOptions { MaximumWriteSameBytes = 4096 * BlockSize });
        Harness.ClearPowerOn(_unit);
    }

    [Fact]
    public void WriteSameTenRepeatsTheBlock()
    {
        var block = Harness.Pattern(BlockSize, 5);

        var answer = Harness.Run(_unit, Harness.Rw10(OpCode.WriteSame10, 10, 4), block);

        Harness.AssertGood(answer);
        Assert.Equal(BlockSize, answer.TransferLength);
        for (var lba = 10; lba < 14; lba++)
        {
            Assert.Equal(block, _device.Block(lba).ToArray());
        }

        Assert.All(_device.Block(14).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void WriteSameLargerThanOneChunkWritesEveryBlock()
    {
        var block = Harness.Pattern(BlockSize, 1);

        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 0, 4096), block));

        Assert.Equal(block, _device.Block(4095).ToArray());
        Assert.Equal(4096, _device.Writes.Sum(w => w.Blocks));
    }

    [Fact]
    public void UnmapBitWithAZeroBlockUnmaps()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 20, 100, 0x08), new byte[BlockSize]));

        Assert.Equal((20L, 100L), _device.Unmaps.Single());
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void UnmapBitWithNonzeroDataWritesInstead()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw10(OpCode.WriteSame10, 20, 2, 0x08), Harness.Pattern(BlockSize, 1)));

        Assert.Empty(_device.Unmaps);
        Assert.Equal(2, _device.Writes.Sum(w => w.Blocks));
    }

    [Fact]
    public void NdobWithUnmapUnmapsWithoutDataOut()
    {
        var answer = Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 0, 8, 0x09));

        Harness.AssertGood(answer);
        Assert.Equal(0, answer.TransferLength);
        Assert.Equal((0L, 8L), _device.Unmaps.Single());
    }

    [Fact]
    public void NdobWithoutUnmapWritesZeros()
    {
        _device.Block(3).Fill(0xAA);

        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 3, 1, 0x01)));

        Assert.All(_device.Block(3).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void ZeroBlocksIsInvalidFieldInCdbBecauseWsnzIsOne()
    {
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw10(OpCode.WriteSame10, 0, 0), new byte[BlockSize]), 7);

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void BlockLimitsPageReportsWsnzOneAndTheMaximumLength()
    {
        var page = Harness.Run(_unit, Harness.Inquiry(evpd: true, page: 0xB0)).DataIn.Span;

        Assert.Equal(1, page[4] & 0x01);
        Assert.Equal(4096UL, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(page[36..]));
    }

    [Fact]
    public void DataOutLongerThanOneBlockIsInvalidFieldInCommandInformationUnit()
    {
        Harness.AssertSense(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 0, 1, 0x08), new byte[2 * BlockSize]), 0x5, 0x0E, 0x03);

        Assert.Empty(_device.Unmaps);
    }

    [Fact]
    public void DataOutShorterThanOneBlockIsInvalidFieldInCommandInformationUnit() =>
        Harness.AssertSense(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 0, 1, 0x08), new byte[BlockSize / 2]), 0x5, 0x0E, 0x03);

    [Fact]
    public void MoreThanTheMaximumIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 0, 4097), new byte[BlockSize]), 10);

    [Fact]
    public void RangeBeyondTheMediumIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(OpCode.WriteSame16, 4999, 2), new byte[BlockSize]));

    [Fact]
    public void AnchorIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw10(OpCode.WriteSame10, 0, 1, 0x10), new byte[BlockSize]), 1, 4);

    [Fact]
    public void NdobIsNotPartOfWriteSameTen() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw10(OpCode.WriteSame10, 0, 1, 0x01), new byte[BlockSize]), 1, 0);

    [Fact]
    public void MissingDataOutIsInvalidFieldInCommandInformationUnit() =>
        Harness.AssertSense(Harness.Run(_unit, Harness.Rw10(OpCode.WriteSame10, 0, 1)), 0x5, 0x0E, 0x03);
}
