using System.Buffers.Binary;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class GetLbaStatusTests
{
    private readonly DiskUnit _unit;

    public GetLbaStatusTests()
    {
        (_unit, _) = Harness.NewDisk(blocks: 1000);
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] Cdb(ulong lba, uint allocation = 24) => Harness.Rw16(0x9E, lba, allocation, 0x12);

    [Fact]
    public void ReportsOneMappedOrUnknownExtentFromTheStartToTheEnd()
    {
        var answer = Harness.Run(_unit, Cdb(100));

        Harness.AssertGood(answer);
        var data = answer.DataIn.Span;
        Assert.Equal(24, data.Length);
        Assert.Equal(20u, BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal(100ul, BinaryPrimitives.ReadUInt64BigEndian(data[8..]));
        Assert.Equal(900u, BinaryPrimitives.ReadUInt32BigEndian(data[16..]));
        Assert.Equal(0, data[20] & 0x0F);
    }

    [Fact]
    public void StartBeyondTheLastLbaIsLbaOutOfRange()
    {
        Harness.AssertGood(Harness.Run(_unit, Cdb(999)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Cdb(1000)));
    }

    [Fact]
    public void AnswerIsCutToTheAllocationLength()
    {
        var answer = Harness.Run(_unit, Cdb(0, 8));

        Assert.Equal(8, answer.DataIn.Length);
        Assert.Equal(8, answer.TransferLength);
    }
}
