using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class ControllerUnitTests
{
    private readonly ControllerUnit _unit;

    public ControllerUnitTests()
    {
        _unit = new ControllerUnit(Harness.Identity);
        _unit.SetInventory([0, 1, 2]);
    }

    [Fact]
    public void InquiryReportsAStorageArrayController()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry());

        Harness.AssertGood(answer);
        Assert.Equal(0x0C, answer.DataIn.Span[0]);
        Assert.Equal(0x06, answer.DataIn.Span[2]);
    }

    [Fact]
    public void VpdPagesAreSupportedSerialAndIdentification()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry(evpd: true, page: 0));

        Assert.Equal([0x0C, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83], answer.DataIn.ToArray());
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Inquiry(evpd: true, page: 0xB0)), 2);
    }

    [Fact]
    public void ReportLunsListsTheTargetsLuns()
    {
        var answer = Harness.Run(_unit, [0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);

        Harness.AssertGood(answer);
        Assert.Equal(8 + 24, answer.DataIn.Length);
    }

    [Fact]
    public void TestUnitReadyAnswersAfterThePowerOnUnitAttention()
    {
        Harness.ClearPowerOn(_unit);

        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00)));
    }

    [Fact]
    public void RequestSenseReturnsThePowerOnUnitAttention()
    {
        var answer = Harness.Run(_unit, Harness.Cdb6(0x03, b4: 18));

        Harness.AssertGood(answer);
        Assert.Equal((0x6, 0x29), (answer.DataIn.Span[2], answer.DataIn.Span[12]));
    }

    [Theory]
    [InlineData(new byte[] { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 })]
    [InlineData(new byte[] { 0x25, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x1A, 0, 0x3F, 0, 255, 0 })]
    [InlineData(new byte[] { 0x35, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void MediaCommandsAreInvalidCommandOperationCode(byte[] cdb)
    {
        Harness.ClearPowerOn(_unit);

        Harness.AssertInvalidOpcode(Harness.Run(_unit, cdb));
    }
}
