using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class PreFetchAndMediumTests
{
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public PreFetchAndMediumTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(_unit);
    }

    [Fact]
    public void PreFetchInRangeIsGood()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw10(OpCode.PreFetch10, 0, 100, 0x02)));
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(OpCode.PreFetch16, 99, 1)));
    }

    [Fact]
    public void PreFetchBeyondTheMediumIsLbaOutOfRange()
    {
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw10(OpCode.PreFetch10, 50, 51)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(OpCode.PreFetch16, ulong.MaxValue, 1)));
    }

    [Fact]
    public void StartIsGoodAndDoesNotFlush()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(OpCode.StartStopUnit, b4: 0x01)));

        Assert.Equal(0, _device.FlushCount);
    }

    [Fact]
    public void StopFlushesUnlessNoFlush()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(OpCode.StartStopUnit, b1: 1, b4: 0x00)));
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(OpCode.StartStopUnit, b4: 0x04)));

        Assert.Equal(1, _device.FlushCount);
    }

    [Fact]
    public void LoadEjectIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Cdb6(OpCode.StartStopUnit, b4: 0x02)), 4, 1);

    [Fact]
    public void PowerConditionIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Cdb6(OpCode.StartStopUnit, b4: 0x30)), 4, 5);

    [Fact]
    public void PreventAndAllowAreGood()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(OpCode.PreventAllowMediumRemoval, b4: 1)));
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(OpCode.PreventAllowMediumRemoval, b4: 0)));
    }

    [Fact]
    public void MediaChangerPreventValuesAreInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Cdb6(OpCode.PreventAllowMediumRemoval, b4: 2)), 4, 1);
}
