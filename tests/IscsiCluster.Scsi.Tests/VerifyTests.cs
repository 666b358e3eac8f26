using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class VerifyTests
{
    private const int BlockSize = 512;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public VerifyTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(_unit);
        Harness.Pattern(4 * BlockSize, 3).CopyTo(_device.Blocks(10, 4));
    }

    public static TheoryData<string> Sizes => ["10", "12", "16"];

    private static byte[] Verify(string size, ulong lba, uint blocks, byte byteCheck) => Cdb(size, OpCode.Verify10, OpCode.Verify12,
        OpCode.Verify16, lba, blocks, (byte)(byteCheck << 1));

    private static byte[] WriteAndVerify(string size, ulong lba, uint blocks) =>
        Cdb(size, OpCode.WriteAndVerify10, OpCode.WriteAndVerify12, OpCode.WriteAndVerify16, lba, blocks, 0x02);

    private static byte[] Cdb(string size, byte ten, byte twelve, byte sixteen, ulong lba, uint blocks, byte flags) => size switch
    {
        "10" => Harness.Rw10(ten, (uint)lba, (ushort)blocks, flags),
        "12" => Harness.Rw12(twelve, (uint)lba, blocks, flags),
        _ => Harness.Rw16(sixteen, lba, blocks, flags),
    };

    [Theory]
    [MemberData(nameof(Sizes))]
    public void VerifyWithoutByteCheckOnlyChecksTheRange(string size)
    {
        var answer = Harness.Run(_unit, Verify(size, 10, 4, 0));

        Harness.AssertGood(answer);
        Assert.Equal(0, answer.TransferLength);
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Verify(size, 99, 2, 0)));
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void VerifyWithByteCheckComparesTheDataOut(string size)
    {
        var expected = Harness.Pattern(4 * BlockSize, 3);

        var answer = Harness.Run(_unit, Verify(size, 10, 4, 1), expected);

        Harness.AssertGood(answer);
        Assert.Equal(expected.Length, answer.TransferLength);
    }

    [Theory]
    [MemberData(nameof(Sizes))]
    public void VerifyMismatchIsMiscompareWithTheOffset(string size)
    {
        var expected = Harness.Pattern(4 * BlockSize, 3);
        expected[777] ^= 1;

        var answer = Harness.Run(_unit, Verify(size, 10, 4, 1), expected);

        Harness.AssertSense(answer, 0xE, 0x1D, 0x00);
        Assert.Equal(777u, BinaryPrimitives.ReadUInt32BigEndian(answer.Sense.Span[3..]));
    }

    [Fact]
    public void VerifyByteCheckThreeComparesEveryBlockWithOne()
    {
        var block = Harness.Pattern(BlockSize, 9);
        for (var lba = 50; lba < 53; lba++)
        {
            block.CopyTo(_device.Block(lba));
        }

        Harness.AssertGood(Harness.Run(_unit, Verify("10", 50, 3, 3), block));
        _device.Block(52)[4] ^= 1;
        var answer = Harness.Run(_unit, Verify("10", 50, 3, 3), block);
        Harness.AssertSense(answer, 0xE, 0x1D, 0x00);
        Assert.Equal((uint)((2 * BlockSize) + 4), BinaryPrimitives.ReadUInt32BigEndian(answer.Sense.Span[3..]));
    }

    [Fact]
    public void VerifyByteCheckTwoIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Verify("10", 0, 1, 2), new byte[BlockSize]), 1, 2);

    [Fact]
    public void VerifyWithShortDataOutIsInvalidFieldInCommandInformationUnit() =>
        Harness.AssertSense(Harness.Run(_unit, Verify("16", 0, 2, 1), new byte[BlockSize]), 0x5, 0x0E, 0x03);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void WriteAndVerifyWritesThroughToTheMedium(string size)
    {
        var data = Harness.Pattern(2 * BlockSize, 4);

        var answer = Harness.Run(_unit, WriteAndVerify(size, 30, 2), data);

        Harness.AssertGood(answer);
        Assert.Equal(data.Length, answer.TransferLength);
        Assert.Equal((30L, 2, true), _device.Writes.Single());
        Assert.Equal(data[..BlockSize], _device.Block(30).ToArray());
    }

    [Fact]
    public void WriteAndVerifyBeyondTheMediumIsLbaOutOfRange() =>
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, WriteAndVerify("10", 100, 1), new byte[BlockSize]));

    [Fact]
    public void WriteAndVerifyWithProtectIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw10(OpCode.WriteAndVerify10, 0, 1, 0x20), new byte[BlockSize]), 1, 5);

    [Theory]
    [MemberData(nameof(Sizes))]
    public void WriteAndVerifyWithWholeBlocksShorterThanTheCdbWritesThoseAndReportsTheCdbLength(string size)
    {
        var data = Harness.Pattern(BlockSize, 6);

        var answer = Harness.Run(_unit, WriteAndVerify(size, 40, 2), data);

        Harness.AssertGood(answer);
        Assert.Equal(2 * BlockSize, answer.TransferLength);
        Assert.Equal((40L, 1, true), _device.Writes.Single());
        Assert.Equal(data, _device.Block(40).ToArray());
    }

    [Fact]
    public void WriteAndVerifyWithDataOutEndingInsideABlockIsInvalidFieldInCommandInformationUnit()
    {
        var answer = Harness.Run(_unit, WriteAndVerify("10", 0, 1), new byte[200]);

        Harness.AssertSense(answer, 0x5, 0x0E, 0x03);
        Assert.Equal(BlockSize, answer.TransferLength);
        Assert.Empty(_device.Writes);
    }
}
