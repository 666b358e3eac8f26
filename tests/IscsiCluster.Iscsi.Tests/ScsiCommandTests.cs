using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>SCSI Command, Data-In, Data-Out and R2T in full feature phase (RFC 7143 11.3, 11.4, 11.7, 11.8).</summary>
public sealed class ScsiCommandTests : PortalTestKit
{
    private const int Block = TestPortal.BlockSize;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ReadReturnsTheDiskContentsInDataInWithStatusInTheLastPdu()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        var pattern = Pattern(8 * Block, seed: 1);
        pattern.CopyTo(portal.Disk.WritableContents(16 * Block));
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(16, 8), read: true, expectedLength: 8 * Block));
        var (data, status, _) = await initiator.ReceiveReadAsync(8 * Block);

        Assert.Equal(pattern, data);
        var last = Assert.IsType<ScsiDataInPdu>(status);
        Assert.True(last.HasStatus);
        Assert.True(last.Final);
        Assert.Equal((byte)ScsiStatus.Good, last.Status);
        Assert.False(last.ResidualUnderflow || last.ResidualOverflow);
    }

    [Fact]
    public async Task AReadsPooledBufferIsHandedBackOnceItsDataHasBeenSent()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, lunObserver: lun.Ref);
        var pattern = Pattern(64 * Block, seed: 3);
        pattern.CopyTo(portal.Disk.WritableContents(0));
        await using var initiator = await LoggedInAsync(portal, Keys(("MaxRecvDataSegmentLength", "8192")));

        var command = initiator.Command(TestInitiator.Read10(0, 64), read: true, expectedLength: 64 * Block);
        await initiator.SendAsync(command);
        var (data, _, _) = await initiator.ReceiveReadAsync(64 * Block);

        Assert.Equal(pattern, data);
        Scsi.Sam.ExecuteCommand executed;
        do
        {
            executed = await lun.ExpectMsgAsync<Scsi.Sam.ExecuteCommand>(Patience); // the login's own commands come first
        }
        while (executed.TaskTag != command.InitiatorTaskTag);

        Assert.Equal(command.InitiatorTaskTag, (await lun.ExpectMsgAsync<DataInReleased>(Patience)).TaskTag);
    }

    [Fact]
    public async Task ReadLargerThanTheInitiatorsSegmentLimitIsSplitIntoSequentialDataInPdus()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        var pattern = Pattern(256 * Block, seed: 2);
        pattern.CopyTo(portal.Disk.WritableContents(0));
        await using var initiator = await LoggedInAsync(portal, Keys(("MaxRecvDataSegmentLength", "8192")));

        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(0, 256), read: true, expectedLength: 256 * Block));
        var dataSns = new List<uint>();
        var received = new byte[256 * Block];
        while (true)
        {
            var dataIn = await initiator.ReceiveAsync<ScsiDataInPdu>();
            Assert.True(dataIn.Data.Length <= 8192);
            dataIn.Data.Span.CopyTo(received.AsSpan((int)dataIn.BufferOffset));
            dataSns.Add(dataIn.DataSN);
            if (dataIn.HasStatus)
            {
                break;
            }
        }

        Assert.Equal(pattern, received);
        Assert.Equal(Enumerable.Range(0, 16).Select(i => (uint)i), dataSns);
    }

    [Fact]
    public async Task ShortReadReportsResidualUnderflow()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        // The initiator allots 4 blocks for a 2-block read.
        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(0, 2), read: true, expectedLength: 4 * Block));
        var (_, status, _) = await initiator.ReceiveReadAsync(4 * Block);

        var last = Assert.IsType<ScsiDataInPdu>(status);
        Assert.True(last.ResidualUnderflow);
        Assert.Equal((uint)(2 * Block), last.ResidualCount);
    }

    [Fact]
    public async Task ReadWithTooSmallABufferReportsResidualOverflow()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(0, 4), read: true, expectedLength: 2 * Block));
        var (_, status, pdus) = await initiator.ReceiveReadAsync(2 * Block);

        var last = Assert.IsType<ScsiDataInPdu>(status);
        Assert.True(last.ResidualOverflow);
        Assert.Equal((uint)(2 * Block), last.ResidualCount);
        Assert.Equal(1, pdus);
    }

    [Fact]
    public async Task WriteWithImmediateDataReachesTheDisk()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);
        var pattern = Pattern(4 * Block, seed: 3);

        await initiator.SendAsync(initiator.Command(TestInitiator.Write10(100, 4), write: true, expectedLength: 4 * Block, immediateData: pattern));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.Good, response.Status);
        Assert.Equal(pattern, portal.Disk.Contents.Slice(100 * Block, 4 * Block).ToArray());
    }

    [Fact]
    public async Task WriteWithAnExpectedLengthBelowItsCdbWritesWhatArrivedAndReportsResidualOverflow()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);
        var pattern = Pattern(Block, seed: 7);

        await initiator.SendAsync(initiator.Command(TestInitiator.Write10(50, 2), write: true, expectedLength: Block, immediateData: pattern));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.Good, response.Status);
        Assert.True(response.ResidualOverflow);
        Assert.Equal((uint)Block, response.ResidualCount);
        Assert.Equal(pattern, portal.Disk.Contents.Slice(50 * Block, Block).ToArray());
        Assert.All(portal.Disk.Contents.Slice(51 * Block, Block).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task WriteWhoseDataEndsInsideABlockIsRefusedWithResidualOverflow()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(initiator.Command(TestInitiator.Write10(60, 1), write: true, expectedLength: 200, immediateData: Pattern(200, seed: 8)));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
        Assert.True(response.ResidualOverflow);
        Assert.Equal((uint)(Block - 200), response.ResidualCount);
        Assert.All(portal.Disk.Contents.Slice(60 * Block, Block).ToArray(), b => Assert.Equal(0, b));
    }

    [Fact]
    public async Task WriteWithUnsolicitedDataOutAfterImmediateDataReachesTheDisk()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);
        var pattern = Pattern(8 * Block, seed: 4);

        var command = initiator.Command(TestInitiator.Write10(200, 8), write: true, expectedLength: 8 * Block, immediateData: pattern.AsMemory(0, 2 * Block), final: false);
        await initiator.SendAsync(command);
        await initiator.SendAsync(new ScsiDataOutPdu { InitiatorTaskTag = command.InitiatorTaskTag, DataSN = 0, BufferOffset = 2 * Block, Data = pattern.AsMemory(2 * Block, 3 * Block) });
        await initiator.SendAsync(new ScsiDataOutPdu { InitiatorTaskTag = command.InitiatorTaskTag, DataSN = 1, BufferOffset = 5 * Block, Data = pattern.AsMemory(5 * Block, 3 * Block), Final = true });
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.Good, response.Status);
        Assert.Equal(pattern, portal.Disk.Contents.Slice(200 * Block, 8 * Block).ToArray());
    }

    [Fact]
    public async Task WriteBeyondTheFirstBurstIsSolicitedWithR2TsOfAtMostMaxBurstLength()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal, Keys(("InitialR2T", "Yes"), ("ImmediateData", "No"), ("MaxBurstLength", "16384")));
        var length = 64 * Block;
        var pattern = Pattern(length, seed: 5);

        var command = initiator.Command(TestInitiator.Write10(300, 64), write: true, expectedLength: (uint)length);
        await initiator.SendAsync(command);
        var r2tSns = new List<uint>();
        for (var answered = 0; answered < length;)
        {
            var r2t = await initiator.ReceiveAsync<ReadyToTransferPdu>();
            Assert.Equal(command.InitiatorTaskTag, r2t.InitiatorTaskTag);
            Assert.Equal((uint)answered, r2t.BufferOffset);
            Assert.True(r2t.DesiredDataTransferLength <= 16384);
            r2tSns.Add(r2t.R2TSN);
            var burst = pattern.AsMemory((int)r2t.BufferOffset, (int)r2t.DesiredDataTransferLength);
            await initiator.SendAsync(new ScsiDataOutPdu
            {
                InitiatorTaskTag = command.InitiatorTaskTag,
                TargetTransferTag = r2t.TargetTransferTag,
                DataSN = 0,
                BufferOffset = r2t.BufferOffset,
                Data = burst,
                Final = true,
            });
            answered += burst.Length;
        }

        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.Good, response.Status);
        Assert.Equal([0u, 1u], r2tSns);
        Assert.Equal(pattern, portal.Disk.Contents.Slice(300 * Block, length).ToArray());
    }

    [Fact]
    public async Task SeveralR2TsAreOutstandingAtOnceUpToMaxOutstandingR2T()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("negotiation.max-outstanding-r2t = 2"));
        await using var initiator = await LoggedInAsync(portal, Keys(("InitialR2T", "Yes"), ("ImmediateData", "No"), ("MaxBurstLength", "8192"), ("FirstBurstLength", "8192"), ("MaxOutstandingR2T", "4")));
        var pattern = Pattern(48 * Block, seed: 8);

        var command = initiator.Command(TestInitiator.Write10(500, 48), write: true, expectedLength: 48 * Block);
        await initiator.SendAsync(command);
        var first = await initiator.ReceiveAsync<ReadyToTransferPdu>();
        var second = await initiator.ReceiveAsync<ReadyToTransferPdu>();
        var pending = new Queue<ReadyToTransferPdu>([first, second]);
        while (pending.TryDequeue(out var r2t))
        {
            await initiator.SendAsync(new ScsiDataOutPdu
            {
                InitiatorTaskTag = command.InitiatorTaskTag,
                TargetTransferTag = r2t.TargetTransferTag,
                BufferOffset = r2t.BufferOffset,
                Data = pattern.AsMemory((int)r2t.BufferOffset, (int)r2t.DesiredDataTransferLength),
                Final = true,
            });
            if (r2t.BufferOffset + r2t.DesiredDataTransferLength + (8192 * 2) <= pattern.Length)
            {
                pending.Enqueue(await initiator.ReceiveAsync<ReadyToTransferPdu>());
            }
        }

        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((0u, 8192u), (first.BufferOffset, second.BufferOffset));
        Assert.Equal((byte)ScsiStatus.Good, response.Status);
        Assert.Equal(pattern, portal.Disk.Contents.Slice(500 * Block, 48 * Block).ToArray());
    }

    [Fact]
    public async Task DataOutAtAWrongOffsetIsRejectedAndTheSessionGoesOn()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        var command = initiator.Command(TestInitiator.Write10(0, 2), write: true, expectedLength: 2 * Block, final: false);
        await initiator.SendAsync(command);
        await initiator.SendAsync(new ScsiDataOutPdu { InitiatorTaskTag = command.InitiatorTaskTag, DataSN = 0, BufferOffset = Block, Data = new byte[Block] });
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady(), immediate: true));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal(RejectReason.ProtocolError, reject.Reason);
        Assert.Equal((byte)ScsiStatus.Good, response.Status);
    }

    [Fact]
    public async Task ACommandExpectingMoreDataThanTheTargetAllowsEndsWithCheckCondition()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("max-data-transfer-length = 1 MiB"));
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(initiator.Command(TestInitiator.Write10(0, 4096), write: true, expectedLength: 2 * 1024 * 1024));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var next = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
        Assert.Equal((byte)ScsiStatus.Good, next.Status);
    }

    [Fact]
    public async Task CommandsArrivingOutOfCmdSnOrderAreExecutedInCmdSnOrder()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, lunObserver: lun.Ref);
        await using var initiator = await LoggedInAsync(portal, lunObserver: lun);
        var first = initiator.Command(TestInitiator.Write10(400, 1), write: true, expectedLength: Block, immediateData: Pattern(Block, seed: 6));
        var second = initiator.Command(TestInitiator.Write10(400, 1), write: true, expectedLength: Block, immediateData: Pattern(Block, seed: 7));

        await initiator.SendAsync(second);
        await lun.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
        await initiator.SendAsync(first);
        await initiator.ReceiveAsync<ScsiResponsePdu>();
        await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal(first.InitiatorTaskTag, (await lun.ExpectMsgAsync<ExecuteCommand>(Patience)).TaskTag);
        Assert.Equal(second.InitiatorTaskTag, (await lun.ExpectMsgAsync<ExecuteCommand>(Patience)).TaskTag);
        Assert.Equal(Pattern(Block, seed: 7), portal.Disk.Contents.Slice(400 * Block, Block).ToArray());
    }

    [Fact]
    public async Task CommandsOutsideTheCmdSnWindowAreDropped()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("cmdsn-window-depth = 4"), lunObserver: lun.Ref);
        await using var initiator = await LoggedInAsync(portal, lunObserver: lun);
        var beyond = initiator.Command(TestInitiator.TestUnitReady()) with { CmdSN = initiator.CmdSn + 10 };
        var stale = initiator.Command(TestInitiator.TestUnitReady()) with { CmdSN = initiator.CmdSn - 10 };

        await initiator.SendAsync(beyond);
        await initiator.SendAsync(stale);
        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 0x55, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });
        var answer = await initiator.ReceiveAsync();

        var nopIn = Assert.IsType<NopInPdu>(answer);
        Assert.Equal(0x55u, nopIn.InitiatorTaskTag);
        await lun.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task ARunningCommandHoldsAWindowSlotUntilItCompletes()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(
            Sys, CreateTestProbe().Ref, TestPortal.Settings("cmdsn-window-depth = 4"), target: t => t with { Luns = new Dictionary<ulong, IActorRef> { [0] = lun.Ref } });
        await using var initiator = await LoggedInAsync(portal, clearUnitAttention: false);
        var cmdSn = initiator.CmdSn;

        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var executed = await lun.ExpectMsgAsync<ExecuteCommand>(Patience);
        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 0x66, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });
        var whileRunning = await initiator.ReceiveAsync<NopInPdu>();
        lun.Reply(new CommandComplete(executed.TaskTag, ScsiStatus.Good, ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty, 0));
        var completed = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal(cmdSn + 1, whileRunning.ExpCmdSN);
        Assert.Equal(cmdSn + 3, whileRunning.MaxCmdSN);
        Assert.Equal(cmdSn + 1, completed.ExpCmdSN);
        Assert.Equal(cmdSn + 4, completed.MaxCmdSN);
    }

    [Fact]
    public async Task ImmediateCommandsBypassCmdSnOrdering()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, lunObserver: lun.Ref);
        await using var initiator = await LoggedInAsync(portal, lunObserver: lun);
        var hole = initiator.CmdSn;
        var late = initiator.Command(TestInitiator.TestUnitReady()) with { CmdSN = hole + 1 };
        initiator.CmdSn = hole;

        await initiator.SendAsync(late);
        var immediate = initiator.Command(TestInitiator.TestUnitReady(), immediate: true);
        await initiator.SendAsync(immediate);
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal(immediate.InitiatorTaskTag, response.InitiatorTaskTag);
        Assert.Equal(hole, response.ExpCmdSN);
        Assert.Equal(immediate.InitiatorTaskTag, (await lun.ExpectMsgAsync<ExecuteCommand>(Patience)).TaskTag);
        await lun.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public async Task CommandToAnUnmappedLunGoesToTheAbsentLun()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, lunObserver: lun.Ref);
        await using var initiator = await LoggedInAsync(portal, lunObserver: lun);

        // LUN 5 in peripheral addressing: byte 1 of the LUN field.
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady(), lun: 0x0005_0000_0000_0000));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
        Assert.True(response.Data.Length > 2);
        var executed = await lun.ExpectMsgAsync<ExecuteCommand>(Patience);
        Assert.Equal(5ul, executed.Lun);
    }

    [Fact]
    public async Task BidirectionalCommandsEndWithCheckCondition()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(0, 1), read: true, write: true, expectedLength: Block));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
    }

    [Fact]
    public async Task CdbLongerThanSixteenBytesTravelsInTheExtendedCdbAhs()
    {
        var lun = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, lunObserver: lun.Ref);
        await using var initiator = await LoggedInAsync(portal, lunObserver: lun);
        var cdb = new byte[32];
        cdb[0] = 0x7F;
        cdb[7] = 0x18;
        cdb[31] = 0xAB;

        await initiator.SendAsync(initiator.Command(cdb));
        await initiator.ReceiveAsync<ScsiResponsePdu>();

        var executed = await lun.ExpectMsgAsync<ExecuteCommand>(Patience);
        Assert.Equal(cdb, executed.Cdb.ToArray());
    }

    /// <summary>
    /// Logs in to the disk target and consumes the unit attention a new nexus gets first; the
    /// LUN observer, if any, sees that TEST UNIT READY before the test starts.
    /// </summary>
    internal static async Task<TestInitiator> LoggedInAsync(TestPortal portal, IEnumerable<TextKeyValue>? operational = null, TestProbe? lunObserver = null, bool clearUnitAttention = true)
    {
        var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        var response = await initiator.LoginAsync(TestPortal.DiskTarget, operational);
        Assert.Equal(LoginStatus.Success, response.Status);

        if (clearUnitAttention)
        {
            // A new nexus first gets a unit attention (power on / reset occurred): consume it.
            await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
            await initiator.ReceiveAsync<ScsiResponsePdu>();
            if (lunObserver is not null)
            {
                await lunObserver.ExpectMsgAsync<ExecuteCommand>(Patience);
            }
        }

        return initiator;
    }

    internal static IReadOnlyList<TextKeyValue> Keys(params (string Key, string Value)[] overrides) =>
        [.. TestInitiator.DefaultOperationalKeys.Where(k => !overrides.Any(o => o.Key == k.Key)), .. overrides.Select(o => new TextKeyValue(o.Key, o.Value))];

    internal static byte[] Pattern(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
