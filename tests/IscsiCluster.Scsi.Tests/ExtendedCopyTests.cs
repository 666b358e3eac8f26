using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ExtendedCopyTests
{
    private const int BlockSize = 512;
    private const int TargetLength = 32;
    private const int SegmentLength = 28;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public ExtendedCopyTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 1000, options: new DiskOptions { MaximumTransferBytes = 8 * BlockSize });
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] CopyCdb(int listLength)
    {
        var cdb = new byte[16];
        cdb[0] = OpCode.ExtendedCopy;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), (uint)listLength);
        return cdb;
    }

    private static byte[] ResultsCdb(byte serviceAction, byte listId = 0, uint allocation = 1024)
    {
        var cdb = new byte[16];
        cdb[0] = OpCode.ReceiveCopyResults;
        cdb[1] = serviceAction;
        cdb[2] = listId;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), allocation);
        return cdb;
    }

    /// <summary>An identification CSCD descriptor (E4h) naming a unit by an NAA designator.</summary>
    private static byte[] Target(ulong unitId = 0x0123_4567_89AB_CDEF, byte type = 0xE4, int luIdType = 0, int blockLength = BlockSize)
    {
        var descriptor = new byte[TargetLength];
        descriptor[0] = type;
        descriptor[1] = (byte)(luIdType << 6);
        descriptor[4] = 0x01;                                   // binary
        descriptor[5] = 0x03;                                   // logical unit, NAA
        descriptor[7] = 8;
        BinaryPrimitives.WriteUInt64BigEndian(descriptor.AsSpan(8), (3UL << 60) | (unitId & ((1UL << 60) - 1)));
        descriptor[29] = (byte)(blockLength >> 16);
        BinaryPrimitives.WriteUInt16BigEndian(descriptor.AsSpan(30), (ushort)blockLength);
        return descriptor;
    }

    private static byte[] Segment(ushort blocks, ulong source, ulong destination, ushort sourceIndex = 0, ushort destinationIndex = 0, byte type = 0x02)
    {
        var descriptor = new byte[SegmentLength];
        descriptor[0] = type;
        BinaryPrimitives.WriteUInt16BigEndian(descriptor.AsSpan(2), SegmentLength - 4);
        BinaryPrimitives.WriteUInt16BigEndian(descriptor.AsSpan(4), sourceIndex);
        BinaryPrimitives.WriteUInt16BigEndian(descriptor.AsSpan(6), destinationIndex);
        BinaryPrimitives.WriteUInt16BigEndian(descriptor.AsSpan(10), blocks);
        BinaryPrimitives.WriteUInt64BigEndian(descriptor.AsSpan(12), source);
        BinaryPrimitives.WriteUInt64BigEndian(descriptor.AsSpan(20), destination);
        return descriptor;
    }

    private static byte[] List(byte[][] targets, byte[][] segments, byte listId = 1, int usage = 0)
    {
        var targetBytes = targets.SelectMany(t => t).ToArray();
        var segmentBytes = segments.SelectMany(s => s).ToArray();
        var header = new byte[16];
        header[0] = listId;
        header[1] = (byte)(usage << 3);
        BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)targetBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), (uint)segmentBytes.Length);
        return [.. header, .. targetBytes, .. segmentBytes];
    }

    private CommandComplete Copy(byte[] list, int? listLength = null) =>
        Harness.Run(_unit, CopyCdb(listLength ?? list.Length), list);

    [Fact]
    public void ABlockToBlockSegmentCopiesWithinTheUnitInChunks()
    {
        var data = Harness.Pattern(20 * BlockSize, 3);
        data.CopyTo(_device.Blocks(0, 20));

        Harness.AssertGood(Copy(List([Target()], [Segment(20, 0, 900)])));

        Assert.Equal(data, _device.Blocks(900, 20).ToArray());
        Assert.Equal(3, _device.Writes.Count);                 // 8 + 8 + 4 blocks (MAXIMUM TRANSFER LENGTH)
    }

    [Fact]
    public void AnOverlappingCopyTowardsHigherAddressesKeepsTheSourceData()
    {
        var data = Harness.Pattern(20 * BlockSize, 5);
        data.CopyTo(_device.Blocks(100, 20));

        Harness.AssertGood(Copy(List([Target()], [Segment(20, 100, 105)])));

        Assert.Equal(data, _device.Blocks(105, 20).ToArray());
    }

    [Fact]
    public void SegmentsRunInOrder()
    {
        Harness.Pattern(BlockSize, 1).CopyTo(_device.Block(0));

        Harness.AssertGood(Copy(List([Target(), Target()], [Segment(1, 0, 10, 0, 1), Segment(1, 10, 20, 1, 0)])));

        Assert.Equal(_device.Block(0).ToArray(), _device.Block(20).ToArray());
    }

    [Fact]
    public void ParameterListLengthZeroIsGoodAndCopiesNothing()
    {
        Harness.AssertGood(Copy([], 0));

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void AParameterListShorterThanTheHeaderIsParameterListLengthError() =>
        Harness.AssertSense(Copy(new byte[15]), 0x5, 0x1A, 0x00);

    [Fact]
    public void ListsLongerThanTheParameterListAreParameterListLengthError()
    {
        var list = List([Target()], [Segment(1, 0, 1)]);

        Harness.AssertSense(Copy(list[..^1]), 0x5, 0x1A, 0x00);
        Harness.AssertSense(Copy(list[..(16 + TargetLength - 1)]), 0x5, 0x1A, 0x00);
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void ListsLongerThanTheMaximumDescriptorListLengthAreParameterListLengthError()
    {
        var segments = Enumerable.Range(0, 40).Select(_ => Segment(1, 0, 1)).ToArray();

        Harness.AssertSense(Copy(List([Target()], segments)), 0x5, 0x1A, 0x00);
    }

    [Fact]
    public void MoreThanFourTargetDescriptorsIsTooManyTargetDescriptors() =>
        Harness.AssertSense(Copy(List([Target(), Target(), Target(), Target(), Target()], [Segment(1, 0, 1)])), 0x5, 0x26, 0x06);

    [Fact]
    public void MoreThanSixteenSegmentDescriptorsIsTooManySegmentDescriptors()
    {
        var segments = Enumerable.Range(0, 17).Select(_ => Segment(1, 0, 1)).ToArray();

        Harness.AssertSense(Copy(List([Target()], segments)), 0x5, 0x26, 0x08);
        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void ATargetDescriptorOtherThanIdentificationIsUnsupportedTargetDescriptorTypeCode() =>
        Harness.AssertSense(Copy(List([Target(type: 0xE0)], [Segment(1, 0, 1)])), 0x5, 0x26, 0x07);

    [Fact]
    public void ASegmentDescriptorOtherThanBlockToBlockIsUnsupportedSegmentDescriptorTypeCode() =>
        Harness.AssertSense(Copy(List([Target()], [Segment(1, 0, 1, type: 0x03)])), 0x5, 0x26, 0x09);

    [Fact]
    public void InlineDataIsInvalidFieldInParameterList()
    {
        var list = List([Target()], [Segment(1, 0, 1)]);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(12), 4);

        Harness.AssertSense(Copy([.. list, 0, 0, 0, 0]), 0x5, 0x26, 0x00);
    }

    [Fact]
    public void ADestinationIndexWithoutATargetDescriptorIsCopyAborted()
    {
        Harness.AssertSense(Copy(List([Target()], [Segment(1, 0, 1, destinationIndex: 1)])), 0xA, 0x0D, 0x02);

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void ADesignatorOfAnotherUnitIsCopyAborted() =>
        Harness.AssertSense(Copy(List([Target(unitId: 99)], [Segment(1, 0, 1)])), 0xA, 0x0D, 0x02);

    [Fact]
    public void AProxyTokenIsCopyAborted() =>
        Harness.AssertSense(Copy(List([Target(luIdType: 1)], [Segment(1, 0, 1)])), 0xA, 0x0D, 0x02);

    [Fact]
    public void AReservedLuIdTypeIsIgnored() =>
        Harness.AssertGood(Copy(List([Target(luIdType: 2)], [Segment(1, 0, 1)])));

    [Fact]
    public void AnotherBlockLengthIsCopyAborted() =>
        Harness.AssertSense(Copy(List([Target(blockLength: 4096)], [Segment(1, 0, 1)])), 0xA, 0x0D, 0x02);

    [Fact]
    public void ARangePastTheEndIsCopyAbortedAndWritesNothing()
    {
        Harness.AssertSense(Copy(List([Target()], [Segment(20, 0, 990)])), 0xA, 0x0D, 0x02);

        Assert.Empty(_device.Writes);
    }

    [Fact]
    public void CopyStatusReportsTheHeldResultOfTheList()
    {
        Harness.AssertGood(Copy(List([Target()], [Segment(4, 0, 10), Segment(2, 0, 20)], listId: 7)));

        var answer = Harness.Run(_unit, ResultsCdb(0x00, 7));

        Harness.AssertGood(answer);
        var data = answer.DataIn.Span;
        Assert.Equal(12, data.Length);
        Assert.Equal(8u, BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal(0x00, data[4]);                            // completed without errors
        Assert.Equal(2, BinaryPrimitives.ReadUInt16BigEndian(data[5..]));
        Assert.Equal((uint)(6 * BlockSize), BinaryPrimitives.ReadUInt32BigEndian(data[8..]));
    }

    [Fact]
    public void CopyStatusOfAFailedCopyReportsCompletedWithErrors()
    {
        Harness.AssertSense(Copy(List([Target()], [Segment(1, 0, 10), Segment(2, 0, 999)], listId: 3)), 0xA, 0x0D, 0x02);

        var data = Harness.Run(_unit, ResultsCdb(0x00, 3)).DataIn.Span;

        Assert.Equal(0x01, data[4]);
        Assert.Equal(1, BinaryPrimitives.ReadUInt16BigEndian(data[5..]));
    }

    [Fact]
    public void CopyStatusOfAnUnknownListIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, ResultsCdb(0x00, 1)), 2);

    [Fact]
    public void CopyStatusIsHeldPerNexus()
    {
        Harness.AssertGood(Copy(List([Target()], [Segment(1, 0, 1)], listId: 5)));
        var other = Harness.Nexus("iqn.2026-01.test:other");
        Harness.ClearPowerOn(_unit, other);

        Harness.AssertInvalidField(Harness.Run(_unit, ResultsCdb(0x00, 5), nexus: other), 2);
    }

    [Fact]
    public void ResultsAreNotHeldWhenTheListIdUsageSaysSo()
    {
        Harness.AssertGood(Copy(List([Target()], [Segment(1, 0, 1)], listId: 4, usage: 2)));

        Harness.AssertInvalidField(Harness.Run(_unit, ResultsCdb(0x00, 4)), 2);
    }

    [Fact]
    public void ReservedListIdUsageIsInvalidFieldInParameterList() =>
        Harness.AssertSense(Copy(List([Target()], [Segment(1, 0, 1)], usage: 1)), 0x5, 0x26, 0x00);

    [Fact]
    public void NexusLossDropsTheHeldResults()
    {
        Harness.AssertGood(Copy(List([Target()], [Segment(1, 0, 1)], listId: 6)));

        _unit.OnNexusLost(Harness.DefaultNexus);
        Harness.Run(_unit, Harness.Cdb6(OpCode.TestUnitReady));

        Harness.AssertInvalidField(Harness.Run(_unit, ResultsCdb(0x00, 6)), 2);
    }

    [Fact]
    public void OperatingParametersReportTheLimitsAndImplementedDescriptors()
    {
        var answer = Harness.Run(_unit, ResultsCdb(0x03));

        Harness.AssertGood(answer);
        var data = answer.DataIn.Span;
        Assert.Equal((uint)(data.Length - 4), BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal(4, BinaryPrimitives.ReadUInt16BigEndian(data[8..]));
        Assert.Equal(16, BinaryPrimitives.ReadUInt16BigEndian(data[10..]));
        Assert.Equal(1024u, BinaryPrimitives.ReadUInt32BigEndian(data[12..]));
        Assert.Equal(0u, BinaryPrimitives.ReadUInt32BigEndian(data[20..]));           // no inline data
        Assert.Equal(9, data[37]);                                                      // 2^9-byte granularity
        Assert.Equal([0x02, 0xE4], data[44..].ToArray());
        Assert.Equal(2, data[43]);
    }

    [Fact]
    public void AnUnsupportedReceiveCopyResultsServiceActionIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, ResultsCdb(0x01)), 1, 4);

    [Fact]
    public void ExtendedCopyLid4IsInvalidFieldInCdb()
    {
        var cdb = CopyCdb(0);
        cdb[1] = 0x01;

        Harness.AssertInvalidField(Harness.Run(_unit, cdb), 1, 4);
    }
}
