using IscsiCluster.Scsi.Sam;
using IscsiCluster.Scsi.Tests.Support;

namespace IscsiCluster.Scsi.Tests;

public class UnitAttentionTests
{
    private readonly DiskUnit _unit;

    public UnitAttentionTests() => (_unit, _) = Harness.NewDisk();

    [Fact]
    public void PowerOnResetIsReportedOncePerNexus()
    {
        var first = Harness.Nexus("iqn.2026-01.test:a");
        var second = Harness.Nexus("iqn.2026-01.test:b");

        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: first), 0x6, 0x29, 0x00);
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: first));
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: second), 0x6, 0x29, 0x00);
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: second));
    }

    [Fact]
    public void SameInitiatorThroughAnotherTargetPortIsAnotherNexus()
    {
        Harness.ClearPowerOn(_unit, Harness.Nexus(port: 1));

        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: Harness.Nexus(port: 2)), 0x6, 0x29, 0x00);
    }

    [Fact]
    public void AnotherIsidIsAnotherNexus()
    {
        Harness.ClearPowerOn(_unit, Harness.Nexus(isid: "0x1"));

        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: Harness.Nexus(isid: "0x2")), 0x6, 0x29, 0x00);
    }

    [Fact]
    public void ReportLunsRunsDespiteThePowerOnUnitAttention()
    {
        Harness.AssertGood(Harness.Run(_unit, [0xA0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0]));
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00)), 0x6, 0x29, 0x00);
    }

    [Fact]
    public void RequestSenseReportsAndClearsTheUnitAttention()
    {
        var answer = Harness.Run(_unit, Harness.Cdb6(0x03, b4: 252));

        Harness.AssertGood(answer);
        var sense = answer.DataIn.ToArray();
        Assert.Equal(18, sense.Length);
        Assert.Equal((0x70, 0x6, 0x29, 0x00), (sense[0], sense[2], sense[12], sense[13]));
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00)));
    }

    [Fact]
    public void RequestSenseWithNothingPendingReturnsNoSense()
    {
        Harness.ClearPowerOn(_unit);

        var answer = Harness.Run(_unit, Harness.Cdb6(0x03, b4: 252));

        Harness.AssertGood(answer);
        Assert.Equal((0x70, 0x0, 0x00, 0x00), (answer.DataIn.Span[0], answer.DataIn.Span[2], answer.DataIn.Span[12], answer.DataIn.Span[13]));
        Assert.Equal(18, answer.TransferLength);
    }

    [Fact]
    public void RequestSenseWithDescBitReturnsDescriptorFormat()
    {
        var answer = Harness.Run(_unit, Harness.Cdb6(0x03, b1: 1, b4: 252));

        Harness.AssertGood(answer);
        Assert.Equal([0x72, 0x6, 0x29, 0x00, 0, 0, 0, 0], answer.DataIn.ToArray());
    }

    [Fact]
    public void RequestSenseIsCutToTheAllocationLength()
    {
        var answer = Harness.Run(_unit, Harness.Cdb6(0x03, b4: 8));

        Assert.Equal(8, answer.DataIn.Length);
        Assert.Equal(8, answer.TransferLength);
    }

    [Fact]
    public void RequestSenseReservedBitIsInvalidFieldInCdb() =>
        Harness.AssertInvalidField(Harness.Run(_unit, Harness.Cdb6(0x03, b1: 0x02, b4: 18)), 1, 1);

    [Fact]
    public void NexusLossIsReportedWhenTheNexusReturns()
    {
        Harness.ClearPowerOn(_unit);
        _unit.OnNexusLost(Harness.DefaultNexus);

        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00)), 0x6, 0x29, 0x07);
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00)));
    }

    [Fact]
    public void LostNexusesDoNotPileUpWhenInitiatorsComeUnderEverNewIsids()
    {
        const int sessions = 20_000;
        for (var i = 1; i <= sessions; i++)
        {
            var nexus = Harness.Nexus(isid: $"0x{i:x12}");
            Harness.ClearPowerOn(_unit, nexus);
            _unit.OnNexusLost(nexus);
        }

        Assert.True(_unit.NexusCount <= NexusTableLimit, $"{_unit.NexusCount} nexuses kept after {sessions} sessions ended");

        // The most recently lost ones are still owed I_T NEXUS LOSS OCCURRED; the longest gone
        // were dropped and come back as new nexuses, owed POWER ON, RESET (both reset-class, 29h).
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: Harness.Nexus(isid: $"0x{sessions:x12}")), 0x6, 0x29, 0x07);
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: Harness.Nexus(isid: $"0x{1:x12}")), 0x6, 0x29, 0x00);
    }

    [Fact]
    public void ANexusThatReturnsIsNoLongerAmongTheLostOnesThatMayBeDropped()
    {
        var returning = Harness.Nexus(isid: "0x7");
        Harness.ClearPowerOn(_unit, returning);
        _unit.OnNexusLost(returning);
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: returning), 0x6, 0x29, 0x07);

        for (var i = 1; i <= NexusTableLimit + 10; i++)
        {
            var other = Harness.Nexus(isid: $"0x1{i:x11}");
            Harness.ClearPowerOn(_unit, other);
            _unit.OnNexusLost(other);
        }

        // Still known (live), so no unit attention of a new nexus.
        Harness.AssertGood(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: returning));
    }

    private const int NexusTableLimit = 1024;

    [Fact]
    public void UnitAttentionComesBeforeAnUnsupportedOpcode()
    {
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x01)), 0x6, 0x29, 0x00);
        Harness.AssertInvalidOpcode(Harness.Run(_unit, Harness.Cdb6(0x01)));
    }

    [Fact]
    public void LogicalUnitResetOwesEveryNexusBusDeviceReset()
    {
        var other = Harness.Nexus("iqn.2026-01.test:other");
        Harness.ClearPowerOn(_unit);
        Harness.ClearPowerOn(_unit, other);

        var done = _unit.Manage(new TaskManagementRequest(Harness.DefaultNexus, 1, TaskManagementFunction.LogicalUnitReset, 0));

        Assert.Equal(TaskManagementResponse.FunctionComplete, done.Response);
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00)), 0x6, 0x29, 0x03);
        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00), nexus: other), 0x6, 0x29, 0x03);
    }

    [Fact]
    public void ColdResetOwesPowerOnOccurred()
    {
        Harness.ClearPowerOn(_unit);

        _unit.Manage(new TaskManagementRequest(Harness.DefaultNexus, 1, TaskManagementFunction.TargetColdReset, 0));

        Harness.AssertSense(Harness.Run(_unit, Harness.Cdb6(0x00)), 0x6, 0x29, 0x01);
    }

    [Fact]
    public void QueryAsynchronousEventSucceedsOnlyWhileAUnitAttentionIsPending()
    {
        var query = new TaskManagementRequest(Harness.DefaultNexus, 1, TaskManagementFunction.QueryAsynchronousEvent, 0);

        Assert.Equal(TaskManagementResponse.FunctionSucceeded, _unit.Manage(query).Response);
        Harness.ClearPowerOn(_unit);
        Assert.Equal(TaskManagementResponse.FunctionComplete, _unit.Manage(query).Response);
    }

    [Theory]
    [InlineData(TaskManagementFunction.AbortTask, TaskManagementResponse.FunctionComplete)]
    [InlineData(TaskManagementFunction.AbortTaskSet, TaskManagementResponse.FunctionComplete)]
    [InlineData(TaskManagementFunction.ClearTaskSet, TaskManagementResponse.FunctionComplete)]
    [InlineData(TaskManagementFunction.QueryTask, TaskManagementResponse.FunctionComplete)]
    [InlineData(TaskManagementFunction.QueryTaskSet, TaskManagementResponse.FunctionComplete)]
    [InlineData(TaskManagementFunction.ClearAca, TaskManagementResponse.FunctionNotSupported)]
    [InlineData(TaskManagementFunction.TaskReassign, TaskManagementResponse.ReassignmentNotSupported)]
    public void TaskManagementFunctionsAnswerAsTheUnitHoldsNoQueuedTasks(TaskManagementFunction function, TaskManagementResponse expected)
    {
        var done = _unit.Manage(new TaskManagementRequest(Harness.DefaultNexus, 1, function, 5));

        Assert.Equal((function, expected), (done.Function, done.Response));
    }
}
