using System.Buffers.Binary;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ReadCapacityTests
{
    private static readonly byte[] ReadCapacity10 = [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private static byte[] ReadCapacity16(uint allocation = 32, ulong lba = 0, bool pmi = false)
    {
        var cdb = Harness.Rw16(0x9E, lba, allocation, 0x10);
        cdb[14] = (byte)(pmi ? 1 : 0);
        return cdb;
    }

    [Fact]
    public void ReadCapacityTenReportsLastLbaAndBlockSize()
    {
        var (unit, _) = Harness.NewDisk(blocks: 2048, blockSize: 4096);
        Harness.ClearPowerOn(unit);

        var answer = Harness.Run(unit, ReadCapacity10);

        Harness.AssertGood(answer);
        Assert.Equal(8, answer.TransferLength);
        Assert.Equal(2047u, BinaryPrimitives.ReadUInt32BigEndian(answer.DataIn.Span));
        Assert.Equal(4096u, BinaryPrimitives.ReadUInt32BigEndian(answer.DataIn.Span[4..]));
    }

    [Fact]
    public void ReadCapacityTenReportsAllOnesForTooLargeADevice()
    {
        var (unit, device) = Harness.NewDisk(blocks: 8);
        device.BlockCount = 0x1_0000_0001;                     // last LBA 1_0000_0000 does not fit
        Harness.ClearPowerOn(unit);

        var ten = Harness.Run(unit, ReadCapacity10);
        var sixteen = Harness.Run(unit, ReadCapacity16());

        Assert.Equal(0xFFFFFFFFu, BinaryPrimitives.ReadUInt32BigEndian(ten.DataIn.Span));
        Assert.Equal(0x1_0000_0000ul, BinaryPrimitives.ReadUInt64BigEndian(sixteen.DataIn.Span));
    }

    [Fact]
    public void ReadCapacityTenWithLbaButNoPmiIsInvalidFieldInCdb()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);

        Harness.AssertInvalidField(Harness.Run(unit, [0x25, 0, 0, 0, 0, 1, 0, 0, 0, 0]), 2);
        Harness.AssertGood(Harness.Run(unit, [0x25, 0, 0, 0, 0, 1, 0, 0, 1, 0]));
    }

    [Fact]
    public void ReadCapacitySixteenReportsProvisioningAndPhysicalBlockExponent()
    {
        var (unit, _) = Harness.NewDisk(blocks: 4096, options: new DiskOptions { LogicalBlocksPerPhysicalBlockExponent = 3 });
        Harness.ClearPowerOn(unit);

        var answer = Harness.Run(unit, ReadCapacity16());

        Harness.AssertGood(answer);
        var data = answer.DataIn.Span;
        Assert.Equal(32, data.Length);
        Assert.Equal(4095ul, BinaryPrimitives.ReadUInt64BigEndian(data));
        Assert.Equal(512u, BinaryPrimitives.ReadUInt32BigEndian(data[8..]));
        Assert.Equal(0, data[12]);
        Assert.Equal(3, data[13]);
        Assert.Equal(0xC0, data[14]);                           // LBPME, LBPRZ
        Assert.Equal(0, data[15]);
    }

    [Fact]
    public void ReadCapacitySixteenIsCutToTheAllocationLength()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);

        var answer = Harness.Run(unit, ReadCapacity16(12));

        Assert.Equal(12, answer.DataIn.Length);
        Assert.Equal(12, answer.TransferLength);
    }

    [Fact]
    public void ReadCapacitySixteenWithLbaButNoPmiIsInvalidFieldInCdb()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);

        Harness.AssertInvalidField(Harness.Run(unit, ReadCapacity16(lba: 5)), 2);
        Harness.AssertGood(Harness.Run(unit, ReadCapacity16(lba: 5, pmi: true)));
    }

    [Fact]
    public void UnknownServiceActionInIsInvalidFieldInCdbAtTheServiceAction()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);

        Harness.AssertInvalidField(Harness.Run(unit, Harness.Rw16(0x9E, 0, 32, 0x11)), 1, 4);
    }
}
