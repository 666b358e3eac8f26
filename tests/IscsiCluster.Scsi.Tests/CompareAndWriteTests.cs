using System.Buffers.Binary;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class CompareAndWriteTests
{
    private const int BlockSize = 512;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public CompareAndWriteTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100, options: new DiskOptions { MaximumCompareAndWriteBlocks = 2 });
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] Cdb(ulong lba, byte blocks, byte flags = 0)
    {
        var cdb = Harness.Rw16(0x89, lba, 0, flags);
        cdb[13] = blocks;
        return cdb;
    }

    [Fact]
    public void MatchingDataIsReplaced()
    {
        var old = Harness.Pattern(BlockSize, 1);
        var fresh = Harness.Pattern(BlockSize, 2);
        old.CopyTo(_device.Block(7));

        var answer = Harness.Run(_unit, Cdb(7, 1), [.. old, .. fresh]);

        Harness.AssertGood(answer);
        Assert.Equal(2 * BlockSize, answer.TransferLength);
        Assert.Equal(fresh, _device.Block(7).ToArray());
    }

    [Fact]
    public void MismatchIsMiscompareWithTheOffsetInInformationAndNothingIsWritten()
    {
        var old = Harness.Pattern(2 * BlockSize, 1);
        old.CopyTo(_device.Blocks(7, 2));
        _device.Block(8)[10] ^= 0xFF;

        var answer = Harness.Run(_unit, Cdb(7, 2), [.. old, .. new byte[2 * BlockSize]]);

        Harness.AssertSense(answer, 0xE, 0x1D, 0x00);
        Assert.Equal(0x80, answer.Sense.Span[0] & 0x80);
        Assert.Equal((uint)(BlockSize + 10), BinaryPrimitives.ReadUInt32BigEndian(answer.Sense.Span[3..]));
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void FuaIsPassedToTheWrite()
    {
        Harness.AssertGood(Harness.Run(_unit, Cdb(0, 1, 0x08), new byte[2 * BlockSize]));

        Assert.True(_device.Writes.Single().ForceUnitAccess);
    }

    [Fact]
    public void ZeroBlocksIsGoodAndWritesNothing()
    {
        Harness.AssertGood(Harness.Run(_unit, Cdb(0, 0)));

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void MoreThanTheMaximumIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 3), new byte[6 * BlockSize]), 13);

    [Fact]
    public void RangeBeyondTheMediumIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Cdb(99, 2), new byte[4 * BlockSize]));

    [Fact]
    public void DataOutForOnlyTheCompareHalfIsInvalidFieldInCdbAtTheCount()
    {
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 1), new byte[BlockSize]), 13);

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void DataOutLongerThanBothInstancesIsInvalidFieldInCdbAtTheCount()
    {
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 1), new byte[4 * BlockSize]), 13);

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void ZeroBlocksWithDataOutIsInvalidFieldInCdbAtTheCount() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 0), new byte[2 * BlockSize]), 13);

    [Fact]
    public void WrprotectIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(0, 1, 0x20), new byte[2 * BlockSize]), 1, 5);
}
