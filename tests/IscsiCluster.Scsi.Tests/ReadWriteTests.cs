using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ReadWriteTests
{
    private const int BlockSize = 512;
    private const long Blocks = 1000;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public ReadWriteTests()
    {
        (_unit, _device) = Harness.NewDisk(Blocks, BlockSize, new DiskOptions { MaximumTransferBytes = 300 * BlockSize });
        Harness.ClearPowerOn(_unit);
    }

    public static TheoryData<string> Sizes => ["6", "10", "12", "16"];

    private static byte[] Read(string size, ulong lba, uint blocks, byte flags = 0) => size switch
    {
        "6" => Harness.Rw6(OpCode.Read6, (uint)lba, (byte)blocks),
        "10" => Harness.Rw10(OpCode.Read10, (uint)lba, (ushort)blocks, flags),
        "12" => Harness.Rw12(OpCode.Read12, (uint)lba, blocks, flags),
        _ => Harness.Rw16(OpCode.Read16, lba, blocks, flags),
    };

    private static byte[] Write(string size, ulong lba, uint blocks, byte flags = 0) => size switch
    {
        "6" => Harness.Rw6(OpCode.Write6, (uint)lba, (byte)blocks),
        "10" => Harness.Rw10(OpCode.Write10, (uint)lba, (ushort)blocks, flags),
        "12" => Harness.Rw12(OpCode.Write12, (uint)lba, blocks, flags),
        _ => Harness.Rw16(OpCode.Write16, lba, blocks, flags),
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void WrittenBlocksReadBack(string size)
    {
        var data = Harness.Pattern(3 * BlockSize, 9);

        var write = Harness.Run(_unit, Write(size, 10, 3), data);
        var read = Harness.Run(_unit, Read(size, 10, 3));

        Harness.AssertGood(write);
        Assert.Equal(data.Length, write.TransferLength);
        Harness.AssertGood(read);
        Assert.Equal(data, read.DataIn.ToArray());
        Assert.Equal(data.Length, read.TransferLength);
        Assert.Equal(data, _device.Block(10).ToArray().Concat(_device.Block(11).ToArray()).Concat(_device.Block(12).ToArray()));
    }

    [Fact]
    public void SixByteTransferLengthZeroMoves256Blocks()
    {
        var data = Harness.Pattern(256 * BlockSize, 3);

        var write = Harness.Run(_unit, Harness.Rw6(OpCode.Write6, 100, 0), data);
        var read = Harness.Run(_unit, Harness.Rw6(OpCode.Read6, 100, 0));

        Harness.AssertGood(write);
        Assert.Equal(256 * BlockSize, write.TransferLength);
        Assert.Equal(data, read.DataIn.ToArray());
        Assert.Equal((100L, 256, false), _device.Writes.Single());
    }

    [Theory]
    [InlineData("10")]
    [InlineData("12")]
    [InlineData("16")]
    public void TransferLengthZeroMovesNothing(string size)
    {
        var read = Harness.Run(_unit, Read(size, 5, 0));
        var write = Harness.Run(_unit, Write(size, 5, 0));

        Harness.AssertGood(read);
        Assert.Equal(0, read.TransferLength);
        Assert.True(read.DataIn.IsEmpty);
        Harness.AssertGood(write);
        Assert.Equal(0, write.TransferLength);
        Assert.Empty(_device.Writes);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void LastBlockIsInRangeAndOnePastIsNot(string size)
    {
        Harness.AssertGood(Harness.Run(_unit, Read(size, Blocks - 1, 1)));
        Harness.AssertGood(Harness.Run(_unit, Write(size, Blocks - 1, 1), new byte[BlockSize]));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Read(size, Blocks - 1, 2)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Read(size, Blocks, 1)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Write(size, Blocks, 1), new byte[BlockSize]));
    }

    [Fact]
    public void LbaPlusLengthThatOverflowsIsOutOfRange()
    {
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(OpCode.Read16, ulong.MaxValue, 2)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(OpCode.Write16, ulong.MaxValue - 1, 2), new byte[2 * BlockSize]));
    }

    [Fact]
    public void ZeroLengthAtTheEndOfTheMediumIsAcceptedButBeyondIsNot()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw10(OpCode.Read10, (uint)Blocks, 0)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw10(OpCode.Read10, (uint)Blocks + 1, 0)));
    }

    [Theory]
    [InlineData("10")]
    [InlineData("12")]
    [InlineData("16")]
    public void TransferAboveTheMaximumIsInvalidFieldInCdbAtTheLengthField(string size)
    {
        var offset = size switch { "10" => 7, "12" => 6, _ => 10 };

        Harness.AssertInvalidField(Harness.Run(_unit, Read(size, 0, 301)), offset);
        Harness.AssertInvalidField(Harness.Run(_unit, Write(size, 0, 301), new byte[301 * BlockSize]), offset);
        Harness.AssertGood(Harness.Run(_unit, Read(size, 0, 300)));
    }

    [Theory]
    [InlineData("10")]
    [InlineData("12")]
    [InlineData("16")]
    public void ProtectFieldNonzeroIsInvalidFieldInCdb(string size)
    {
        Harness.AssertInvalidField(Harness.Run(_unit, Read(size, 0, 1, 0x20)), 1, 5);
        Harness.AssertInvalidField(Harness.Run(_unit, Write(size, 0, 1, 0x80), new byte[BlockSize]), 1, 7);
    }

    [Fact]
    public void ReservedByteOneBitsOfWriteTenAreInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw10(OpCode.Write10, 0, 1, 0x04), new byte[BlockSize]), 1, 2);

    [Fact]
    public void ReservedBitsOfTheGroupNumberByteAreInvalidFieldInCdb()
    {
        var cdb = Harness.Rw10(OpCode.Read10, 0, 1);
        cdb[6] = 0x20;

        Harness.AssertInvalidField(Harness.Run(_unit, cdb), 6, 5);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("12")]
    [InlineData("16")]
    public void FuaIsPassedToTheDeviceAndDpoIsAccepted(string size)
    {
        Harness.AssertGood(Harness.Run(_unit, Write(size, 1, 1, 0x08), new byte[BlockSize]));
        Harness.AssertGood(Harness.Run(_unit, Write(size, 2, 1, 0x10), new byte[BlockSize]));
        Harness.AssertGood(Harness.Run(_unit, Read(size, 1, 1, 0x18)));

        Assert.Equal([(1L, 1, true), (2L, 1, false)], _device.Writes);
    }

    [Theory]
    [InlineData("6")]
    [InlineData("10")]
    [InlineData("12")]
    [InlineData("16")]
    public void DataOutOfWholeBlocksShorterThanTheCdbWritesTheBlocksThatArrivedAndReportsTheCdbLength(string size)
    {
        var data = Harness.Pattern(BlockSize, 4);

        var answer = Harness.Run(_unit, Write(size, 3, 2), data);

        Harness.AssertGood(answer);
        Assert.Equal(2 * BlockSize, answer.TransferLength);
        Assert.Equal((3L, 1, false), _device.Writes.Single());
        Assert.Equal(data, _device.Block(3).ToArray());
    }

    [Fact]
    public void NoDataOutForAWriteWritesNothingAndReportsTheCdbLength()
    {
        var answer = Harness.Run(_unit, Harness.Rw10(OpCode.Write10, 0, 1));

        Harness.AssertGood(answer);
        Assert.Equal(BlockSize, answer.TransferLength);
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void DataOutEndingInsideABlockIsInvalidFieldInCommandInformationUnitWithTheCdbLength()
    {
        var answer = Harness.Run(_unit, Harness.Rw10(OpCode.Write10, 0, 1), new byte[200]);

        Harness.AssertSense(answer, 0x5, 0x0E, 0x03);
        Assert.Equal(BlockSize, answer.TransferLength);
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void LongerDataOutWritesOnlyWhatTheCdbAsks()
    {
        var answer = Harness.Run(_unit, Harness.Rw10(OpCode.Write10, 0, 1), Harness.Pattern(3 * BlockSize, 1));

        Harness.AssertGood(answer);
        Assert.Equal(BlockSize, answer.TransferLength);
        Assert.Equal((0L, 1, false), _device.Writes.Single());
    }

    [Fact]
    public void ReadIntoASmallerBufferIsCutButReportsTheFullLength()
    {
        var answer = Harness.Run(_unit, Harness.Rw10(OpCode.Read10, 0, 4), dataInLength: BlockSize);

        Harness.AssertGood(answer);
        Assert.Equal(BlockSize, answer.DataIn.Length);
        Assert.Equal(4 * BlockSize, answer.TransferLength);
    }

    [Fact]
    public void DeviceReadFailureIsUnrecoveredReadError()
    {
        _device.Failure = new IOException("disk gone");

        Harness.AssertSense(Harness.Run(_unit, Harness.Rw10(OpCode.Read10, 0, 1)), 0x3, 0x11, 0x00);
    }

    [Fact]
    public void DeviceWriteFailureIsWriteError()
    {
        _device.Failure = new IOException("disk gone");

        Harness.AssertSense(Harness.Run(_unit, Harness.Rw10(OpCode.Write10, 0, 1), new byte[BlockSize]), 0x3, 0x0C, 0x00);
    }

    [Fact]
    public void NacaInTheControlByteIsInvalidFieldInCdb()
    {
        var cdb = Harness.Rw10(OpCode.Read10, 0, 1);
        cdb[9] = 0x04;

        Harness.AssertInvalidField(Harness.Run(_unit, cdb), 9, 2);
    }

    [Fact]
    public void LinkInTheControlByteIsInvalidFieldInCdb()
    {
        var cdb = Harness.Rw6(OpCode.Read6, 0, 1);
        cdb[5] = 0x01;

        Harness.AssertInvalidField(Harness.Run(_unit, cdb), 5, 0);
    }

    [Fact]
    public void CdbShorterThanItsOpcodeImpliesIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, [OpCode.Read10, 0, 0, 0]), 0);

    [Fact]
    public void LongerCdbIsCutToItsOpcodeLength()
    {
        var cdb = new byte[16];
        Harness.Rw10(OpCode.Read10, 0, 1).CopyTo(cdb, 0);
        cdb[12] = 0xFF;

        Harness.AssertGood(Harness.Run(_unit, cdb));
    }
}
