using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>
/// SBC-3 6.4.5: with the write cache off (WCE zero) a command that changes the medium completes only once the change is
/// on the medium. UNMAP and WRITE SAME with UNMAP have no FUA to pass, so the unit flushes the device after unmapping and
/// before answering; with the write cache on they are left to a later SYNCHRONIZE CACHE, like writes.
/// </summary>
public class UnmapWithWriteCacheOffTests
{
    private const int BlockSize = 512;

    [Fact]
    public void UnmapIsFlushedBeforeItCompletesWhenTheWriteCacheIsOff()
    {
        var (unit, device) = NewDisk(writeCache: false);
        var list = UnmapTests.List((10, 5), (200, 3));

        Harness.AssertGood(Harness.Run(unit, UnmapTests.Cdb(list.Length), list));

        Assert.Equal(["unmap", "unmap", "flush"], device.Calls);
    }

    [Fact]
    public void UnmapIsNotFlushedWhenTheWriteCacheIsOn()
    {
        var (unit, device) = NewDisk(writeCache: true);
        var list = UnmapTests.List((10, 5));

        Harness.AssertGood(Harness.Run(unit, UnmapTests.Cdb(list.Length), list));

        Assert.Equal(["unmap"], device.Calls);
    }

    [Fact]
    public void AnUnmapThatNamesNoBlockFlushesNothing()
    {
        var (unit, device) = NewDisk(writeCache: false);
        var list = UnmapTests.List((10, 0));

        Harness.AssertGood(Harness.Run(unit, UnmapTests.Cdb(list.Length), list));

        Assert.Empty(device.Calls);
    }

    [Fact]
    public void WriteSameWithUnmapIsFlushedBeforeItCompletesWhenTheWriteCacheIsOff()
    {
        var (unit, device) = NewDisk(writeCache: false);

        Harness.AssertGood(Harness.Run(unit, Harness.Rw16(OpCode.WriteSame16, 100, 64, flags: 0x08), new byte[BlockSize]));

        Assert.Equal(["unmap", "flush"], device.Calls);
    }

    [Fact]
    public void WriteSameWithUnmapIsNotFlushedWhenTheWriteCacheIsOn()
    {
        var (unit, device) = NewDisk(writeCache: true);

        Harness.AssertGood(Harness.Run(unit, Harness.Rw10(OpCode.WriteSame10, 100, 64, flags: 0x08), new byte[BlockSize]));

        Assert.Equal(["unmap"], device.Calls);
    }

    [Fact]
    public void ClearingWceWithModeSelectMakesTheNextUnmapFlush()
    {
        var (unit, device) = NewDisk(writeCache: true);
        var list = UnmapTests.List((10, 5));
        Harness.AssertGood(Harness.Run(unit, UnmapTests.Cdb(list.Length), list));

        // MODE SELECT(6), PF, with the caching page (SBC-3 6.4.5) and WCE cleared.
        var caching = new byte[20];
        caching[0] = 0x08;
        caching[1] = 0x12;
        byte[] parameters = [0, 0, 0, 0, .. caching];
        Harness.AssertGood(Harness.Run(unit, [0x15, 0x10, 0, 0, (byte)parameters.Length, 0], parameters));
        Harness.AssertGood(Harness.Run(unit, UnmapTests.Cdb(list.Length), list));

        Assert.Equal(["unmap", "unmap", "flush"], device.Calls);
    }

    private static (DiskUnit Unit, MemoryBlockDevice Device) NewDisk(bool writeCache)
    {
        var (unit, device) = Harness.NewDisk(blocks: 1000, options: new DiskOptions { WriteCacheEnabled = writeCache });
        Harness.ClearPowerOn(unit);
        return (unit, device);
    }
}
