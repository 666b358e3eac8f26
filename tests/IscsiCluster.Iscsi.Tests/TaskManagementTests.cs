using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;
using static IscsiCluster.Iscsi.Tests.ScsiCommandTests;
using ProtocolFunction = IscsiCluster.Iscsi.Protocol.Pdus.TaskManagementFunction;
using SamFunction = IscsiCluster.Scsi.Sam.TaskManagementFunction;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>Task Management Function Requests (RFC 7143 11.5, 11.6).</summary>
public sealed class TaskManagementTests : PortalTestKit
{
    private const int Block = TestPortal.BlockSize;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AbortingATaskStillWaitingForDataEndsItInTheSessionWithoutAResponse()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: WithLun(lun));
        await using var initiator = await LoggedInAsync(portal, clearUnitAttention: false);

        // Unsolicited data is announced (F=0) but never sent.
        var write = initiator.Command(TestInitiator.Write10(0, 4), write: true, expectedLength: 4 * Block, final: false);
        await initiator.SendAsync(write);
        await initiator.SendAsync(Abort(initiator, write));
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();
        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 0x42, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });

        Assert.Equal(TaskManagementResponseCode.FunctionComplete, answer.Response);
        Assert.IsType<NopInPdu>(await initiator.ReceiveAsync());
        await lun.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task AbortingATaskAtItsLunAsksTheLunAndNeverSendsTheTasksStatusAfterwards()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: WithLun(lun));
        await using var initiator = await LoggedInAsync(portal, clearUnitAttention: false);

        var command = initiator.Command(TestInitiator.TestUnitReady());
        await initiator.SendAsync(command);
        var executed = await lun.ExpectMsgAsync<ExecuteCommand>(Patience);
        var session = lun.LastSender;
        await initiator.SendAsync(Abort(initiator, command));
        var request = await lun.ExpectMsgAsync<TaskManagementRequest>(Patience);
        lun.Reply(new TaskManagementDone(SamFunction.AbortTask, TaskManagementResponse.FunctionComplete));
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();
        lun.Send(session, new CommandComplete(executed.TaskTag, ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, 0));
        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 0x43, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });

        Assert.Equal(SamFunction.AbortTask, request.Function);
        Assert.Equal(command.InitiatorTaskTag, request.ReferencedTaskTag);
        Assert.Equal(TaskManagementResponseCode.FunctionComplete, answer.Response);
        Assert.IsType<NopInPdu>(await initiator.ReceiveAsync());
    }

    [Fact]
    public async Task AbortingATaskThatCompletesBeforeTheLunTakesTheAbortIsAnsweredTaskDoesNotExist()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: WithLun(lun));
        await using var initiator = await LoggedInAsync(portal, clearUnitAttention: false);

        var command = initiator.Command(TestInitiator.TestUnitReady());
        await initiator.SendAsync(command);
        var executed = await lun.ExpectMsgAsync<ExecuteCommand>(Patience);
        var session = lun.LastSender;
        await initiator.SendAsync(Abort(initiator, command));
        await lun.ExpectMsgAsync<TaskManagementRequest>(Patience);
        var asker = lun.LastSender;
        lun.Send(session, new CommandComplete(executed.TaskTag, ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, 0));
        var status = await initiator.ReceiveAsync<ScsiResponsePdu>();
        lun.Send(asker, new TaskManagementDone(SamFunction.AbortTask, TaskManagementResponse.FunctionComplete));
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();

        Assert.Equal((byte)ScsiStatus.Good, status.Status);
        Assert.Equal(TaskManagementResponseCode.TaskDoesNotExist, answer.Response);
    }

    [Fact]
    public async Task AbortingATaskThatDoesNotExistIsAnsweredTaskDoesNotExist()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(new TaskManagementRequestPdu
        {
            Immediate = true,
            Function = ProtocolFunction.AbortTask,
            InitiatorTaskTag = 0x500,
            ReferencedTaskTag = 0xDEAD,
            CmdSN = initiator.CmdSn,
            RefCmdSN = initiator.CmdSn - 100,
        });
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();

        Assert.Equal(TaskManagementResponseCode.TaskDoesNotExist, answer.Response);
    }

    [Fact]
    public async Task LogicalUnitResetIsForwardedToTheLun()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: WithLun(lun));
        await using var initiator = await LoggedInAsync(portal, clearUnitAttention: false);

        await initiator.SendAsync(Request(initiator, ProtocolFunction.LogicalUnitReset));
        var request = await lun.ExpectMsgAsync<TaskManagementRequest>(Patience);
        lun.Reply(new TaskManagementDone(SamFunction.LogicalUnitReset, TaskManagementResponse.FunctionComplete));
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();

        Assert.Equal(SamFunction.LogicalUnitReset, request.Function);
        Assert.Equal(0ul, request.Lun);
        Assert.Equal(TaskManagementResponseCode.FunctionComplete, answer.Response);
    }

    [Fact]
    public async Task ALunWideFunctionOnAnUnmappedLunIsAnsweredLunDoesNotExist()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(Request(initiator, ProtocolFunction.AbortTaskSet) with { Lun = 0x0009_0000_0000_0000 });
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();

        Assert.Equal(TaskManagementResponseCode.LunDoesNotExist, answer.Response);
    }

    [Fact]
    public async Task TaskReassignIsNotSupportedAtErrorRecoveryLevelZero()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(Request(initiator, ProtocolFunction.TaskReassign));
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();

        Assert.Equal(TaskManagementResponseCode.TaskAllegianceReassignmentNotSupported, answer.Response);
    }

    [Fact]
    public async Task TargetWarmResetResetsTheDiskLun()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(Request(initiator, ProtocolFunction.TargetWarmReset));
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var afterReset = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal(TaskManagementResponseCode.FunctionComplete, answer.Response);

        // SAM-5 6.3: the reset leaves a unit attention for the nexus.
        Assert.Equal((byte)ScsiStatus.CheckCondition, afterReset.Status);
    }

    private static Func<Targets.TargetAccess, Targets.TargetAccess> WithLun(TestProbe lun) =>
        t => t with { Luns = new Dictionary<ulong, IActorRef> { [0] = lun.Ref } };

    private static TaskManagementRequestPdu Abort(TestInitiator initiator, ScsiCommandPdu command) =>
        Request(initiator, ProtocolFunction.AbortTask) with { ReferencedTaskTag = command.InitiatorTaskTag, RefCmdSN = command.CmdSN };

    private static TaskManagementRequestPdu Request(TestInitiator initiator, ProtocolFunction function) => new()
    {
        Immediate = true,
        Function = function,
        InitiatorTaskTag = initiator.NextTaskTag++,
        CmdSN = initiator.CmdSn,
        ExpStatSN = initiator.ExpStatSn,
    };
}
