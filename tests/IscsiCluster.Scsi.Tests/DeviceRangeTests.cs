using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

/// <summary>
/// A device may find a range outside its medium that the unit's own check let through (a replicated medium smaller than
/// the unit saw): that command alone ends with LOGICAL BLOCK ADDRESS OUT OF RANGE, and the unit serves the next one.
/// </summary>
public class DeviceRangeTests
{
    private const int BlockSize = 512;

    [Fact]
    public void AWriteTheDeviceFindsOutsideItsMediumIsLbaOutOfRange()
    {
        var (unit, device) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(unit);
        device.Failure = new BlockRangeException(90, 4, 80);

        Harness.AssertLbaOutOfRange(Harness.Run(unit, Harness.Rw10(OpCode.Write10, 90, 4), new byte[4 * BlockSize]));

        device.Failure = null;
        Harness.AssertGood(Harness.Run(unit, Harness.Rw10(OpCode.Write10, 10, 1), Harness.Pattern(BlockSize, 3)));
        Assert.Equal(Harness.Pattern(BlockSize, 3), device.Block(10).ToArray());
    }

    [Fact]
    public void AReadOrUnmapTheDeviceFindsOutsideItsMediumIsLbaOutOfRange()
    {
        var (unit, device) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(unit);
        device.Failure = new BlockRangeException(90, 4, 80);

        Harness.AssertLbaOutOfRange(Harness.Run(unit, Harness.Rw10(OpCode.Read10, 90, 4)));
        Harness.AssertLbaOutOfRange(Harness.Run(unit, Harness.Rw16(OpCode.WriteSame16, 90, 4, flags: 0x08), new byte[BlockSize]));
    }
}
