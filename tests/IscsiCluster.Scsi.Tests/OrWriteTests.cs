using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class OrWriteTests
{
    private const int BlockSize = 512;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public OrWriteTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100, options: new DiskOptions { MaximumTransferBytes = 16 * BlockSize });
        Harness.ClearPowerOn(_unit);
    }

    [Fact]
    public void EachByteBecomesTheOrOfTheMediumAndTheDataOut()
    {
        _device.Blocks(5, 2).Fill(0xA5);
        var data = new byte[2 * BlockSize];
        Array.Fill(data, (byte)0x5A);
        data[0] = 0x00;

        var answer = Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 5, 2), data);

        Harness.AssertGood(answer);
        Assert.Equal(2 * BlockSize, answer.TransferLength);
        Assert.Equal(0xA5, _device.Block(5)[0]);
        Assert.All(_device.Blocks(5, 2)[1..].ToArray(), b => Assert.Equal(0xFF, b));
        Assert.All(_device.Block(7).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void FuaIsPassedToTheWrite()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 0, 1, 0x08), new byte[BlockSize]));

        Assert.Equal((0L, 1, true), _device.Writes.Single());
    }

    [Fact]
    public void ZeroBlocksIsGoodAndWritesNothing()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 100, 0)));

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void ZeroBlocksPastTheEndIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 101, 0)));

    [Fact]
    public void RangeBeyondTheMediumIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 99, 2), new byte[2 * BlockSize]));

    [Fact]
    public void MoreThanTheMaximumTransferLengthIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 0, 17), new byte[17 * BlockSize]), 10);

    [Fact]
    public void OrProtectIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 0, 1, 0x20), new byte[BlockSize]), 1, 5);

    [Fact]
    public void DataOutEndingInsideABlockIsInvalidFieldInCommandInformationUnit()
    {
        var answer = Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 0, 1), new byte[100]);

        Harness.AssertSense(answer, 0x5, 0x0E, 0x03);
        Assert.Equal(BlockSize, answer.TransferLength);
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void ADeviceReadFailureIsUnrecoveredReadError()
    {
        _device.Failure = new IOException("disk gone");

        Harness.AssertSense(Harness.Run(_unit, Harness.Rw16(OpCode.OrWrite16, 0, 1), new byte[BlockSize]), 0x3, 0x11, 0x00);
    }
}
