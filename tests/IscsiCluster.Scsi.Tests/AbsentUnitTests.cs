using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class AbsentUnitTests
{
    private readonly AbsentUnit _unit;

    public AbsentUnitTests()
    {
        _unit = new AbsentUnit(Harness.Identity);
        _unit.SetInventory([0, 1]);
    }

    [Fact]
    public void InquiryReportsQualifierThreeAndTypeUnknown()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry());

        Harness.AssertGood(answer);
        Assert.Equal(0x7F, answer.DataIn.Span[0]);
    }

    [Fact]
    public void VpdSupportedPagesListsOnlyItself()
    {
        var answer = Harness.Run(_unit, Harness.Inquiry(evpd: true, page: 0));

        Assert.Equal([0x7F, 0x00, 0x00, 0x01, 0x00], answer.DataIn.ToArray());
    }

    [Fact]
    public void ReportLunsIsAnswered()
    {
        var answer = Harness.Run(_unit, [0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]);

        Harness.AssertGood(answer);
        Assert.Equal(8 + 16, answer.DataIn.Length);
    }

    [Fact]
    public void RequestSenseReturnsLogicalUnitNotSupportedWithGoodStatus()
    {
        var answer = Harness.Run(_unit, Harness.Cdb6(0x03, b4: 18));

        Harness.AssertGood(answer);
        Assert.Equal((0x5, 0x25, 0x00), (answer.DataIn.Span[2], answer.DataIn.Span[12], answer.DataIn.Span[13]));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x28, 0, 0, 0, 0, 0, 0, 0, 1, 0 })]
    [InlineData(new byte[] { 0xFF, 0, 0, 0, 0, 0 })]
    public void OtherCommandsAreLogicalUnitNotSupportedWithoutAUnitAttentionFirst(byte[] cdb) =>
        Harness.AssertSense(Harness.Run(_unit, cdb), 0x5, 0x25, 0x00);

    [Fact]
    public void TaskManagementAnswersLunDoesNotExist()
    {
        var done = _unit.Manage(new TaskManagementRequest(Harness.DefaultNexus, 9, TaskManagementFunction.LogicalUnitReset, 0));

        Assert.Equal(TaskManagementResponse.LunDoesNotExist, done.Response);
    }
}
