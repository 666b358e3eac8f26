using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ModeSelectTests
{
    private const int BlockSize = 512;
    private readonly DiskUnit _unit;
    private readonly MemoryBlockDevice _device;

    public ModeSelectTests()
    {
        (_unit, _device) = Harness.NewDisk(blocks: 100);
        Harness.ClearPowerOn(_unit);
    }

    private static byte[] Select6(int length, byte flags = 0x10) => [0x15, flags, 0, 0, (byte)length, 0];

    private static byte[] Select10(int length, byte flags = 0x10) => [0x55, flags, 0, 0, 0, 0, 0, (byte)(length >> 8), (byte)length, 0];

    private static byte[] CachingPage(bool wce)
    {
        var page = new byte[20];
        page[0] = 0x08;
        page[1] = 0x12;
        page[2] = (byte)(wce ? 0x04 : 0);
        return page;
    }

    private static byte[] List6(params byte[][] pages) => [0, 0, 0, 0, .. pages.SelectMany(p => p)];

    private byte[] CurrentPage(byte code)
    {
        var data = Harness.Run(_unit, [0x1A, 0x08, code, 0, 255, 0]).DataIn.ToArray();
        return data[4..];
    }

    [Fact]
    public void ClearingWceMakesEveryWriteForceUnitAccess()
    {
        var list = List6(CachingPage(false));

        var answer = Harness.Run(_unit, Select6(list.Length), list);
        Harness.Run(_unit, Harness.Rw10(0x2A, 0, 1), new byte[BlockSize]);

        Harness.AssertGood(answer);
        Assert.Equal(list.Length, answer.TransferLength);
        Assert.Equal(0, CurrentPage(0x08)[2] & 0x04);
        Assert.True(_device.Writes.Single().ForceUnitAccess);
    }

    [Fact]
    public void ModeSelectTenWithABlockDescriptorIsAccepted()
    {
        byte[] list = [0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 100, 0, 0, 0x02, 0x00, .. CachingPage(false)];

        Harness.AssertGood(Harness.Run(_unit, Select10(list.Length), list));
        Assert.Equal(0, CurrentPage(0x08)[2] & 0x04);
    }

    [Fact]
    public void ChangeOwesOtherNexusesModeParametersChanged()
    {
        var other = Harness.Nexus("iqn.2026-01.test:other");
        Harness.ClearPowerOn(_unit, other);
        var list = List6(CachingPage(false));

        Harness.AssertGood(Harness.Run(_unit, Select6(list.Length), list));

        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00)));
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: other), 0x6, 0x2A, 0x01);
    }

    [Fact]
    public void SettingTheCurrentValueAgainOwesNothing()
    {
        var other = Harness.Nexus("iqn.2026-01.test:other");
        Harness.ClearPowerOn(_unit, other);
        var list = List6(CachingPage(true));

        Harness.AssertGood(Harness.Run(_unit, Select6(list.Length), list));

        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: other));
    }

    [Fact]
    public void ControlPageWithCurrentValuesIsAccepted()
    {
        var list = List6(CurrentPage(0x0A));

        Harness.AssertGood(Harness.Run(_unit, Select6(list.Length), list));
    }

    [Fact]
    public void ChangingAFieldThatIsNotChangeableIsInvalidFieldInParameterList()
    {
        var page = CurrentPage(0x0A);
        page[2] |= 0x04;                                        // D_SENSE
        var list = List6(page);

        var answer = Harness.Run(_unit, Select6(list.Length), list);

        Harness.AssertSense(answer, 0x5, 0x26, 0x00);
        Assert.Equal(6, answer.Sense.Span[17]);
    }

    [Fact]
    public void AnInvalidPageLeavesEarlierPagesUnapplied()
    {
        var bad = CurrentPage(0x0A);
        bad[3] = 0xF0;
        var list = List6(CachingPage(false), bad);

        Harness.AssertSense(Harness.Run(_unit, Select6(list.Length), list), 0x5, 0x26, 0x00);
        Assert.Equal(0x04, CurrentPage(0x08)[2] & 0x04);
    }

    [Fact]
    public void UnsupportedPageIsInvalidFieldInParameterList()
    {
        var list = List6([0x19, 0x02, 0, 0]);

        Harness.AssertSense(Harness.Run(_unit, Select6(list.Length), list), 0x5, 0x26, 0x00);
    }

    [Fact]
    public void WrongPageLengthIsInvalidFieldInParameterList()
    {
        var list = List6([0x08, 0x02, 0, 0]);

        Harness.AssertSense(Harness.Run(_unit, Select6(list.Length), list), 0x5, 0x26, 0x00);
    }

    [Fact]
    public void TruncatedPageIsParameterListLengthError()
    {
        var list = List6(CachingPage(false))[..10];

        Harness.AssertSense(Harness.Run(_unit, Select6(list.Length), list), 0x5, 0x1A, 0x00);
    }

    [Fact]
    public void OtherBlockSizeIsInvalidFieldInParameterList()
    {
        byte[] list = [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0x10, 0x00];

        Harness.AssertSense(Harness.Run(_unit, Select6(list.Length), list), 0x5, 0x26, 0x00);
    }

    [Fact]
    public void PfZeroIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Select6(4, 0x00), new byte[4]), 1, 4);

    [Fact]
    public void SaveIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Select6(4, 0x11), new byte[4]), 1, 0);

    [Fact]
    public void ZeroLengthIsGood() => Harness.AssertGood(Harness.Run(_unit, Select6(0)));

    [Fact]
    public void ShortDataOutIsInvalidFieldInCommandInformationUnit() =>
        Harness.AssertSense(Harness.Run(_unit, Select6(24), new byte[4]), 0x5, 0x0E, 0x03);

    [Fact]
    public void LogicalUnitResetRestoresTheDefault()
    {
        var list = List6(CachingPage(false));
        Harness.AssertGood(Harness.Run(_unit, Select6(list.Length), list));

        _unit.Manage(new Sam.TaskManagementRequest(Harness.DefaultNexus, 1, Sam.TaskManagementFunction.LogicalUnitReset, 0));
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00)), 0x6, 0x29, 0x03);

        Assert.Equal(0x04, CurrentPage(0x08)[2] & 0x04);
    }
}
