using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class SynchronizeCacheTests
{
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public SynchronizeCacheTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(_unit);
    }

    [Fact]
    public void SynchronizeCacheTenFlushesTheDevice()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw10(0x35, 0, 0)));

        Assert.Equal(1, _device.FlushCount);
    }

    [Fact]
    public void SynchronizeCacheSixteenWithImmedFlushesTheDevice()
    {
        Harness.AssertGood(Harness.Run(_unit, Harness.Rw16(0x91, 10, 90, 0x02)));

        Assert.Equal(1, _device.FlushCount);
    }

    [Fact]
    public void RangeBeyondTheMediumIsLbaOutOfRange()
    {
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw10(0x35, 10, 91)));
        Harness.AssertLbaOutOfRange(Harness.Run(_unit, Harness.Rw16(0x91, 101, 0)));

        Assert.Equal(0, _device.FlushCount);
    }

    [Fact]
    public void FlushFailureIsWriteError()
    {
        _device.Failure = new IOException("gone");

        Harness.AssertSense(Harness.Run(_unit, Harness.Rw10(0x35, 0, 0)), 0x3, 0x0C, 0x00);
    }

    [Fact]
    public void ReservedBitIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Rw10(0x35, 0, 0, 0x01)), 1, 0);
}
