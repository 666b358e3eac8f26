using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class CapacityAndAccessAttentionTests
{
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public CapacityAndAccessAttentionTests()
    {
        _device = new MemoryBlockDevice(512, 64) { BlockCount = 32 };
        _unit = new DiskUnit(Harness.Identity, _device);
        _unit.SetInventory([0, 1]);
        Harness.ClearPowerOn(_unit, Pr.A);
        Harness.ClearPowerOn(_unit, Pr.B);
    }

    [Fact]
    public void AGrownDeviceOwesEveryNexusCapacityDataHasChangedOnce()
    {
        _device.BlockCount = 64;

        Assert.Equal([(0x2A, 0x09)], Pr.DrainUnitAttentions(_unit, Pr.A));
        Assert.Equal([(0x2A, 0x09)], Pr.DrainUnitAttentions(_unit, Pr.B));
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.A));
    }

    [Fact]
    public void AShrunkDeviceOwesCapacityDataHasChangedToo()
    {
        _device.BlockCount = 16;

        Assert.Equal([(0x2A, 0x09)], Pr.DrainUnitAttentions(_unit, Pr.B));
    }

    [Fact]
    public void ReadCapacityAfterTheUnitAttentionReportsTheNewSize()
    {
        _device.BlockCount = 64;
        Pr.DrainUnitAttentions(_unit, Pr.A);

        var answer = Harness.Run(_unit, [0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0], nexus: Pr.A);

        Assert.Equal(63, answer.DataIn.Span[3]);          // RETURNED LOGICAL BLOCK ADDRESS: the last block
    }

    [Fact]
    public void AnUnchangedCapacityOwesNothing() =>
        Assert.Empty(Pr.DrainUnitAttentions(_unit, Pr.A));

    [Fact]
    public void InquiryStillRunsWhileCapacityDataHasChangedIsPending()
    {
        _device.BlockCount = 64;

        Harness.AssertGood(Harness.Run(_unit, Harness.Inquiry(), nexus: Pr.A));
        Harness.AssertSense(Harness.Run(_unit, Harness.Rw10(0x28, 0, 1), nexus: Pr.A), 0x6, 0x2A, 0x09);
    }

    [Fact]
    public void AnAccessStateChangeOwesEveryNexusAsymmetricAccessStateChanged()
    {
        _unit.NotifyAsymmetricAccessStateChanged();

        Assert.Equal([(0x2A, 0x06)], Pr.DrainUnitAttentions(_unit, Pr.A));
        Assert.Equal([(0x2A, 0x06)], Pr.DrainUnitAttentions(_unit, Pr.B));
    }
}
