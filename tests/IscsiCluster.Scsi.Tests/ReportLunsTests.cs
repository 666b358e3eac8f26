using System.Buffers.Binary;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ReportLunsTests
{
    private static byte[] ReportLuns(byte select = 0, uint allocation = 4096)
    {
        var cdb = new byte[12];
        cdb[0] = 0xA0;
        cdb[2] = select;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(6), allocation);
        return cdb;
    }

    [Fact]
    public void ListsEveryLunOfTheInventoryInAscendingOrderWithSamEncoding()
    {
        var (unit, _) = Harness.NewDisk();
        unit.SetInventory([300, 0, 1, 20000]);

        var answer = Harness.Run(unit, ReportLuns());

        Harness.AssertGood(answer);
        var data = answer.DataIn.ToArray();
        Assert.Equal(32u, BinaryPrimitives.ReadUInt32BigEndian(data));
        Assert.Equal(40, data.Length);
        Assert.Equal(40, answer.TransferLength);
        Assert.Equal([0x00, 0x00, 0, 0, 0, 0, 0, 0], data[8..16]);
        Assert.Equal([0x00, 0x01, 0, 0, 0, 0, 0, 0], data[16..24]);
        Assert.Equal([0x41, 0x2C, 0, 0, 0, 0, 0, 0], data[24..32]);
        Assert.Equal([0xD2, 0x00, 0x4E, 0x20, 0, 0, 0, 0], data[32..40]);
    }

    [Fact]
    public void SelectReportTwoListsTheSameAndOneListsNoWellKnownLuns()
    {
        var (unit, _) = Harness.NewDisk();

        Assert.Equal(Harness.Run(unit, ReportLuns(0)).DataIn.ToArray(), Harness.Run(unit, ReportLuns(2)).DataIn.ToArray());
        var wellKnown = Harness.Run(unit, ReportLuns(1));
        Harness.AssertGood(wellKnown);
        Assert.Equal(new byte[8], wellKnown.DataIn.ToArray());
    }

    [Fact]
    public void UnknownSelectReportIsInvalidFieldInCdb()
    {
        var (unit, _) = Harness.NewDisk();

        Harness.AssertInvalidField(Harness.Run(unit, ReportLuns(3)), 2);
    }

    [Fact]
    public void AllocationLengthBelowSixteenIsInvalidFieldInCdb()
    {
        var (unit, _) = Harness.NewDisk();

        Harness.AssertInvalidField(Harness.Run(unit, ReportLuns(0, 15)), 6);
    }

    [Fact]
    public void ListIsCutToTheAllocationLength()
    {
        var (unit, _) = Harness.NewDisk();
        unit.SetInventory([0, 1, 2]);

        var answer = Harness.Run(unit, ReportLuns(0, 16));

        Assert.Equal(16, answer.DataIn.Length);
        Assert.Equal(16, answer.TransferLength);
        Assert.Equal(24u, BinaryPrimitives.ReadUInt32BigEndian(answer.DataIn.Span));
    }

    [Fact]
    public void InventoryChangeOwesReportedLunsDataHasChangedUntilReportLuns()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);
        unit.SetInventory([0, 1, 2]);

        Harness.AssertGood(Harness.Run(unit, ReportLuns()));
        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00)));
    }

    [Fact]
    public void InventoryChangeIsReportedToOtherCommands()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);
        unit.SetInventory([0, 1, 2]);

        Harness.AssertSense(Harness.Run(unit, Harness.Cdb6(0x00)), 0x6, 0x3F, 0x0E);
        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00)));
    }

    [Fact]
    public void SameInventoryAgainOwesNothing()
    {
        var (unit, _) = Harness.NewDisk();
        Harness.ClearPowerOn(unit);
        unit.SetInventory([1, 0]);

        Harness.AssertGood(Harness.Run(unit, Harness.Cdb6(0x00)));
    }

    [Fact]
    public void UnencodableLunIsRefused()
    {
        var (unit, _) = Harness.NewDisk();

        Assert.Throws<ArgumentOutOfRangeException>(() => unit.SetInventory([0, 1UL << 24]));
    }
}
