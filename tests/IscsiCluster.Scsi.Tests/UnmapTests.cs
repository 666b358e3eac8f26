using System.Buffers.Binary;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class UnmapTests
{
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public UnmapTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 1000, options: new DiskOptions { MaximumUnmapBytes = 100 * 512, MaximumUnmapDescriptors = 3 });
        Harness.ClearPowerOn(_unit);
    }

    internal static byte[] Cdb(int listLength, byte anchor = 0) =>
        [0x42, anchor, 0, 0, 0, 0, 0, (byte)(listLength >> 8), (byte)listLength, 0];

    internal static byte[] List(params (ulong Lba, uint Blocks)[] extents)
    {
        var list = new byte[8 + (16 * extents.Length)];
        BinaryPrimitives.WriteUInt16BigEndian(list, (ushort)(list.Length - 2));
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), (ushort)(16 * extents.Length));
        for (var i = 0; i < extents.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8 + (16 * i)), extents[i].Lba);
            BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(16 + (16 * i)), extents[i].Blocks);
        }

        return list;
    }

    [Fact]
    public void EveryDescriptorIsUnmapped()
    {
        var list = List((10, 5), (100, 0), (999, 1));
        _device.Block(999).Fill(1);

        var answer = Harness.Run(_unit, Cdb(list.Length), list);

        Harness.AssertGood(answer);
        Assert.Equal(list.Length, answer.TransferLength);
        Assert.Equal([(10L, 5L), (999L, 1L)], _device.Unmaps);
        Assert.All(_device.Block(999).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public void ZeroParameterListLengthDoesNothing()
    {
        Harness.AssertGood(Harness.Run(_unit, Cdb(0)));

        Assert.Empty(_device.Unmaps);
    }

    [Fact]
    public void ListShorterThanTheHeaderIsParameterListLengthError() =>
        Harness.AssertSense(Harness.Run(_unit, Cdb(6), new byte[6]), 0x5, 0x1A, 0x00);

    [Fact]
    public void DescriptorDataLongerThanTheListIsParameterListLengthError()
    {
        var list = List((0, 1));
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), 32);

        Harness.AssertSense(Harness.Run(_unit, Cdb(list.Length), list), 0x5, 0x1A, 0x00);
    }

    [Fact]
    public void TooManyDescriptorsIsInvalidFieldInParameterList()
    {
        var list = List((0, 1), (1, 1), (2, 1), (3, 1));

        var answer = Harness.Run(_unit, Cdb(list.Length), list);

        Harness.AssertSense(answer, 0x5, 0x26, 0x00);
        Assert.Equal(0x80, answer.Sense.Span[15]);              // SKSV, C/D zero: the parameter list
        Assert.Empty(_device.Unmaps);
    }

    [Fact]
    public void TooManyBlocksIsInvalidFieldInParameterListAndNothingIsUnmapped()
    {
        var list = List((0, 60), (100, 41));

        Harness.AssertSense(Harness.Run(_unit, Cdb(list.Length), list), 0x5, 0x26, 0x00);
        Assert.Empty(_device.Unmaps);
    }

    [Fact]
    public void ExtentBeyondTheMediumIsLbaOutOfRangeAndNothingIsUnmapped()
    {
        var list = List((0, 1), (999, 2));

        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Cdb(list.Length), list));
        Assert.Empty(_device.Unmaps);
    }

    [Fact]
    public void ShortDataOutIsInvalidFieldInCommandInformationUnit() =>
        Harness.AssertSense(Harness.Run(_unit, Cdb(24), new byte[8]), 0x5, 0x0E, 0x03);

    [Fact]
    public void AnchorIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Cdb(24, anchor: 1), List((0, 1))), 1, 0);

    [Fact]
    public void TrailingPartialDescriptorIsIgnored()
    {
        var list = List((5, 1));
        var longer = new byte[list.Length + 8];
        list.CopyTo(longer, 0);
        BinaryPrimitives.WriteUInt16BigEndian(longer, (ushort)(longer.Length - 2));
        BinaryPrimitives.WriteUInt16BigEndian(longer.AsSpan(2), 24);

        Harness.AssertGood(Harness.Run(_unit, Cdb(longer.Length), longer));
        Assert.Equal((5L, 1L), _device.Unmaps.Single());
    }
}
