using System.Buffers.Binary;
using System.Diagnostics;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;
using Xunit.Abstractions;
using static IscsiCluster.Iscsi.Tests.ScsiCommandTests;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>
/// One hostile initiator floods the portal for a couple of seconds in each way the probes of issue 15 found to
/// grow the node's memory without limit. Each test then checks that what the connection held stayed within the
/// budget of reference.conf (the connection's own counters, which unbounded queues would blow through by
/// hundreds of megabytes), and that a healthy session beside the flood is still served, correctly.
/// </summary>
public sealed class FloodTests(ITestOutputHelper output) : PortalTestKit(output)
{
    private static readonly TimeSpan FloodTime = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan HealthyPatience = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private const int Block = TestPortal.BlockSize;

    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task NopOutFloodOnADiscoverySessionThatNeverReadsIsHeldBackWithinTheConnectionBudget()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var attacker = await TestInitiator.ConnectAsync(portal.EndPoint);
        Assert.Equal(LoginStatus.Success, (await attacker.LoginAsync(targetName: null)).Status);
        var ping = new byte[64 * 1024];

        var sent = await attacker.FloodAsync(
            n => new NopOutPdu { Immediate = true, InitiatorTaskTag = (uint)n, CmdSN = attacker.CmdSn, Data = ping },
            FloodTime);

        var usage = portal.Portal.Usage;
        Report(usage, $"{sent} NOP-Outs of 64 KiB sent ({sent * 64L / 1024} MiB)");
        AssertWithinConnectionBudget(portal, usage, ping.Length);
        await AssertHealthySessionServedAsync(portal);
    }

    [Fact]
    public async Task TextContinuationThatNeverEndsOnADiscoverySessionIsCappedAndTheSessionLives()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var attacker = await TestInitiator.ConnectAsync(portal.EndPoint);
        Assert.Equal(LoginStatus.Success, (await attacker.LoginAsync(targetName: null)).Status);
        var chunk = new byte[32 * 1024];
        Array.Fill(chunk, (byte)'a');

        var sent = await attacker.FloodAsync(
            n => new TextRequestPdu { Immediate = true, Continue = true, InitiatorTaskTag = 0x10, CmdSN = attacker.CmdSn, Data = chunk },
            FloodTime);

        var usage = portal.Portal.Usage;
        Report(usage, $"{sent} Text Requests of 32 KiB with the C bit ({sent * 32L / 1024} MiB of text)");
        AssertWithinConnectionBudget(portal, usage, chunk.Length);
        Assert.Equal(1, usage.Connections);
        await AssertHealthySessionServedAsync(portal);
    }

    [Fact]
    public async Task TextLongerThanTheCapIsRejectedAsOutOfResourcesAndTheSessionGoesOn()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        Assert.Equal(LoginStatus.Success, (await initiator.LoginAsync(targetName: null)).Status);
        var chunk = new byte[16 * 1024];
        Array.Fill(chunk, (byte)'a');

        // The first three parts are taken (each answered with an empty response naming the
        // transfer tag of the next part); the fourth passes 64 KiB.
        uint tag = BasicHeaderSegment.ReservedTag;
        for (var part = 0; part < 3; part++)
        {
            await initiator.SendAsync(new TextRequestPdu { Immediate = true, Continue = true, InitiatorTaskTag = 0x20, TargetTransferTag = tag, CmdSN = initiator.CmdSn, Data = chunk });
            var partial = await initiator.ReceiveAsync<TextResponsePdu>();
            Assert.False(partial.Final);
            Assert.True(partial.Data.IsEmpty);
            tag = partial.TargetTransferTag;
        }

        await initiator.SendAsync(new TextRequestPdu { Immediate = true, Continue = true, InitiatorTaskTag = 0x20, TargetTransferTag = tag, CmdSN = initiator.CmdSn, Data = new byte[17 * 1024] });
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        Assert.Equal(RejectReason.LongOperationReject, reject.Reason);

        await initiator.SendAsync(new TextRequestPdu { Immediate = true, Final = true, InitiatorTaskTag = 0x21, CmdSN = initiator.CmdSn, Data = "SendTargets=All\0"u8.ToArray() });
        var answer = await initiator.ReceiveAsync<TextResponsePdu>();
        Assert.True(answer.Final);
        Assert.Contains(TestPortal.DiskTarget, System.Text.Encoding.UTF8.GetString(answer.Data.Span));
    }

    [Fact]
    public async Task ImmediateWritesWithUniqueTagsFromAnInitiatorThatNeverReadsStayWithinBudget()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var attacker = await LoggedInAsync(portal);
        var block = Pattern(Block, 7);

        var sent = await attacker.FloodAsync(
            n => attacker.Command(TestInitiator.Write10((uint)(n % 1024), 1), write: true, expectedLength: Block, immediateData: block, immediate: true),
            FloodTime);

        var usage = portal.Portal.Usage;
        Report(usage, $"{sent} immediate WRITE(10) sent");
        AssertWithinConnectionBudget(portal, usage, Block);
        Assert.InRange(usage.PeakTransferBytes, 0, portal.Portal.Settings.Limits.SessionTransferBytes);
        await AssertHealthySessionServedAsync(portal);
    }

    [Fact]
    public async Task ReadsInsideTheWindowFromAnInitiatorThatNeverReadsHoldNoMoreThanTheSessionShareAndFreeItOnLeaving()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        var limits = portal.Portal.Settings.Limits;
        var attacker = await LoggedInAsync(portal);
        const int readLength = 256 * 1024;

        var sent = await attacker.FloodAsync(
            n => attacker.Command(TestInitiator.Read10((uint)(n % 64 * 512), readLength / Block), read: true, expectedLength: readLength),
            FloodTime,
            pace: TimeSpan.FromMilliseconds(5),
            burst: 16);

        var usage = portal.Portal.Usage;
        Report(usage, $"{sent} READ(10) of 256 KiB sent");
        AssertWithinConnectionBudget(portal, usage, 0);
        Assert.InRange(usage.PeakTransferBytes, readLength, limits.SessionTransferBytes);
        await AssertHealthySessionServedAsync(portal);

        // The attacker leaves: what its reads held goes back.
        var clock = Stopwatch.StartNew();
        await attacker.DisposeAsync();
        await AwaitAssertAsync(() => Assert.Equal(0, portal.Portal.Usage.TransferBytes), Patience);
        _output.WriteLine($"transfer memory back to 0 {clock.ElapsedMilliseconds} ms after the attacker left");
    }

    [Fact]
    public async Task ImmediateLargeWritesWhoseDataNeverComesAreRefusedBeyondTheShareAndEndedAfterTheDataOutTimeout()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("limits.data-out-timeout = 1s"));
        var limits = portal.Portal.Settings.Limits;
        await using var attacker = await LoggedInAsync(portal);
        const uint length = 64 * 1024 * 1024;
        var firstBurst = new byte[64 * 1024];
        var commands = Enumerable.Range(0, 60)
            .Select(_ => attacker.Command(Write16(0, length / Block), write: true, expectedLength: length, immediateData: firstBurst, immediate: true))
            .ToList();

        foreach (var command in commands)
        {
            await attacker.SendAsync(command);
        }

        // No Data-Out is ever sent: each command is either refused at once (no room in the
        // session's share, or too many immediate commands) or ended by the timeout.
        var answered = new HashSet<uint>();
        int taskSetFull = 0, timedOut = 0, rejected = 0;
        var clock = Stopwatch.StartNew();
        while (answered.Count < commands.Count)
        {
            switch (await attacker.ReceiveAsync(Patience))
            {
                case ScsiResponsePdu response when response.Status == (byte)ScsiStatus.TaskSetFull:
                    taskSetFull++;
                    answered.Add(response.InitiatorTaskTag);
                    break;
                case ScsiResponsePdu response:
                    Assert.Equal((byte)ScsiStatus.CheckCondition, response.Status);
                    AssertSense(response, 0x0B, 0x4B, 0x06);
                    timedOut++;
                    answered.Add(response.InitiatorTaskTag);
                    break;
                case RejectPdu reject:
                    Assert.Equal(RejectReason.ImmediateCommandRejected, reject.Reason);
                    rejected++;
                    answered.Add(BinaryPrimitives.ReadUInt32BigEndian(reject.Data.Span[16..]));
                    break;
                case ReadyToTransferPdu:
                    break;
                case var other:
                    Assert.Fail($"unexpected {other}");
                    break;
            }
        }

        var usage = portal.Portal.Usage;
        Report(usage, $"60 immediate WRITE(16) of 64 MiB: {taskSetFull} TASK SET FULL, {rejected} rejected, {timedOut} ended after {clock.Elapsed.TotalSeconds:F1} s");
        Assert.True(timedOut >= 1);
        Assert.InRange(usage.PeakTransferBytes, length, limits.SessionTransferBytes);
        await AwaitAssertAsync(() => Assert.Equal(0, portal.Portal.Usage.TransferBytes), Patience);

        // The session goes on.
        await AssertWriteAndReadBackAsync(attacker, seed: 3);
    }

    [Fact]
    public async Task LargeWritesFromManySessionsOfOneInitiatorLeaveRoomForAnother()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        var limits = portal.Portal.Settings.Limits;
        const uint length = 64 * 1024 * 1024;
        var attackers = new List<TestInitiator>();
        for (var i = 0; i < 4; i++)
        {
            var attacker = await TestInitiator.ConnectAsync(portal.EndPoint);
            attackers.Add(attacker);
            attacker.Isid = 0x80_00_00_00_10_00 + (ulong)i;
            Assert.Equal(LoginStatus.Success, (await attacker.LoginAsync(TestPortal.DiskTarget, initiatorName: "iqn.2026-12.io.iscsicluster.test:attacker")).Status);
            await attacker.SendAsync(attacker.Command(Write16(0, length / Block), write: true, expectedLength: length, immediateData: new byte[64 * 1024], immediate: true));
        }

        // Two writes hold the initiator's share; the others were refused, and the data never comes.
        await AwaitAssertAsync(() => Assert.Equal(limits.InitiatorTransferBytes, portal.Portal.Usage.TransferBytes), Patience);
        Report(portal.Portal.Usage, "4 sessions of one initiator, one immediate WRITE(16) of 64 MiB each, data never sent");
        Assert.True(limits.InitiatorTransferBytes < limits.NodeTransferBytes);
        await AssertHealthySessionServedAsync(portal);
        Assert.InRange(portal.Portal.Usage.PeakTransferBytes, length, limits.InitiatorTransferBytes + (128 * Block));

        foreach (var attacker in attackers)
        {
            await attacker.DisposeAsync();
        }

        await AwaitAssertAsync(() => Assert.Equal(0, portal.Portal.Usage.TransferBytes), Patience);
    }

    [Fact]
    public async Task AWriteWhoseDataStopsArrivingEndsAfterTheTimeoutAndGivesBackItsWindowSlot()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("limits.data-out-timeout = 1s\ncmdsn-window-depth = 2"));
        await using var initiator = await LoggedInAsync(portal, Keys(("InitialR2T", "Yes"), ("ImmediateData", "No")));

        var stalled = initiator.Command(TestInitiator.Write10(0, 16), write: true, expectedLength: 16 * Block);
        await initiator.SendAsync(stalled);
        await initiator.ReceiveAsync<ReadyToTransferPdu>();
        var later = initiator.Command(TestInitiator.TestUnitReady());
        await initiator.SendAsync(later);

        // The later command is not held back behind the write's missing data.
        var first = await initiator.ReceiveAsync<ScsiResponsePdu>(Patience);
        Assert.Equal(later.InitiatorTaskTag, first.InitiatorTaskTag);
        Assert.Equal((byte)ScsiStatus.Good, first.Status);

        var ended = await initiator.ReceiveAsync<ScsiResponsePdu>(Patience);
        Assert.Equal(stalled.InitiatorTaskTag, ended.InitiatorTaskTag);
        Assert.Equal((byte)ScsiStatus.CheckCondition, ended.Status);
        AssertSense(ended, 0x0B, 0x4B, 0x06);
        Assert.Equal(0, portal.Portal.Usage.TransferBytes);

        // Both slots of the window are open again.
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var next = await initiator.ReceiveAsync<ScsiResponsePdu>(Patience);
        Assert.Equal((byte)ScsiStatus.Good, next.Status);
        Assert.Equal(2u, next.MaxCmdSN - next.ExpCmdSN + 1);
    }

    [Fact]
    public async Task AWriteWaitingForItsDataDoesNotHoldBackLaterSimpleCommandsButAnOrderedOneWaits()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal, Keys(("InitialR2T", "Yes"), ("ImmediateData", "No")));
        var data = Pattern(16 * Block, 5);

        var write = initiator.Command(TestInitiator.Write10(100, 16), write: true, expectedLength: (uint)data.Length);
        await initiator.SendAsync(write);
        var r2t = await initiator.ReceiveAsync<ReadyToTransferPdu>();
        var read = initiator.Command(TestInitiator.Read10(0, 1), read: true, expectedLength: Block);
        await initiator.SendAsync(read);
        var (_, readStatus, _) = await initiator.ReceiveReadAsync(Block);
        Assert.Equal(read.InitiatorTaskTag, readStatus.InitiatorTaskTag);

        var ordered = initiator.Command(TestInitiator.TestUnitReady()) with { Attribute = ScsiTaskAttribute.Ordered };
        await initiator.SendAsync(ordered);
        await Assert.ThrowsAnyAsync<Exception>(() => initiator.ReceiveAsync(TimeSpan.FromMilliseconds(300)));

        await initiator.SendAsync(new ScsiDataOutPdu
        {
            Final = true,
            InitiatorTaskTag = write.InitiatorTaskTag,
            TargetTransferTag = r2t.TargetTransferTag,
            ExpStatSN = initiator.ExpStatSn,
            Data = data,
        });
        var answers = new[] { await initiator.ReceiveAsync<ScsiResponsePdu>(), await initiator.ReceiveAsync<ScsiResponsePdu>() };
        Assert.Equal([write.InitiatorTaskTag, ordered.InitiatorTaskTag], answers.Select(a => a.InitiatorTaskTag).Order());
        Assert.All(answers, a => Assert.Equal((byte)ScsiStatus.Good, a.Status));
    }

    [Fact]
    public async Task ImmediateCommandsBeyondTheLimitAreRejectedAsTooManyImmediateCommands()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("limits.max-immediate-commands = 4"));
        await using var initiator = await LoggedInAsync(portal, Keys(("InitialR2T", "Yes"), ("ImmediateData", "No")));

        // Writes waiting for their data stay under way.
        for (var i = 0; i < 4; i++)
        {
            await initiator.SendAsync(initiator.Command(TestInitiator.Write10((uint)i, 1), write: true, expectedLength: Block, immediate: true));
            await initiator.ReceiveAsync<ReadyToTransferPdu>();
        }

        var fifth = initiator.Command(TestInitiator.TestUnitReady(), immediate: true);
        await initiator.SendAsync(fifth);
        var reject = await initiator.ReceiveAsync<RejectPdu>();
        Assert.Equal(RejectReason.ImmediateCommandRejected, reject.Reason);
        Assert.Equal(fifth.InitiatorTaskTag, BinaryPrimitives.ReadUInt32BigEndian(reject.Data.Span[16..]));

        // Non-immediate commands still run.
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        Assert.Equal((byte)ScsiStatus.Good, (await initiator.ReceiveAsync<ScsiResponsePdu>()).Status);
    }

    [Fact]
    public async Task ConnectionsBeyondTheInitiatorsLimitAreRefusedAsOutOfResourcesUntilOneEnds()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("limits.max-connections-per-initiator = 2"));
        var first = await LoggedInAsync(portal);
        await using var second = await LoggedInAsync(portal);

        await using (var third = await TestInitiator.ConnectAsync(portal.EndPoint))
        {
            var refused = await third.LoginAsync(TestPortal.DiskTarget);
            Assert.Equal(LoginStatus.OutOfResources, refused.Status);
            Assert.True(await third.IsClosedByTargetAsync(Patience));
        }

        await first.DisposeAsync();
        await AwaitAssertAsync(() => Assert.Equal(1, portal.Portal.Usage.Connections), Patience);
        await using var fourth = await LoggedInAsync(portal);
        Assert.Equal(1, portal.Portal.Usage.Refused);
    }

    [Fact]
    public async Task ConnectionsBeyondThePortalsLimitAreRefusedAsOutOfResources()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("limits.max-connections = 1\nlimits.max-connections-per-initiator = 1"));
        await using var first = await LoggedInAsync(portal);

        await using var second = await TestInitiator.ConnectAsync(portal.EndPoint);
        Assert.Equal(LoginStatus.OutOfResources, (await second.LoginAsync(targetName: null)).Status);
    }

    /// <summary>What the attacker's connection held stayed within its limits (a single PDU may cross each mark).</summary>
    private static void AssertWithinConnectionBudget(TestPortal portal, PortalUsage usage, int pduData)
    {
        var limits = portal.Portal.Settings.Limits;
        var pdu = BasicHeaderSegment.Length + pduData;
        Assert.InRange(usage.PeakPendingPdusPerConnection, 0, limits.MaxPendingPdus);
        Assert.InRange(usage.PeakPendingBytesPerConnection, 0, limits.MaxPendingBytes + pdu);

        // The PDUs already handed to the session when the output crossed its mark are still answered.
        Assert.InRange(usage.PeakOutputBytesPerConnection, 0, limits.MaxOutputBytes + limits.MaxPendingBytes + (2 * pdu) + (64 * 1024));
    }

    /// <summary>A second session, beside the flood, writes and reads back; it must be served correctly.</summary>
    private async Task AssertHealthySessionServedAsync(TestPortal portal)
    {
        var clock = Stopwatch.StartNew();
        var served = Task.Run(async () =>
        {
            await using var healthy = await TestInitiator.ConnectAsync(portal.EndPoint);
            healthy.Isid = 0x80_00_00_00_00_42;
            Assert.Equal(LoginStatus.Success, (await healthy.LoginAsync(TestPortal.DiskTarget)).Status);
            await healthy.SendAsync(healthy.Command(TestInitiator.TestUnitReady()));
            await healthy.ReceiveAsync<ScsiResponsePdu>();
            await AssertWriteAndReadBackAsync(healthy, seed: 11);
        });
        Assert.Same(served, await Task.WhenAny(served, Task.Delay(HealthyPatience)));
        await served;
        _output.WriteLine($"healthy session: login, write 64 KiB and read it back in {clock.ElapsedMilliseconds} ms");
    }

    private static async Task AssertWriteAndReadBackAsync(TestInitiator initiator, int seed)
    {
        const ushort blocks = 128;
        var data = Pattern(blocks * Block, seed);
        await initiator.SendAsync(initiator.Command(TestInitiator.Write10(4096, blocks), write: true, expectedLength: (uint)data.Length, immediateData: data.AsMemory(0, 64 * 1024), final: true));
        var written = await ReceiveStatusAsync(initiator, data);
        Assert.Equal((byte)ScsiStatus.Good, written.Status);

        await initiator.SendAsync(initiator.Command(TestInitiator.Read10(4096, blocks), read: true, expectedLength: (uint)data.Length));
        var (read, _, _) = await initiator.ReceiveReadAsync(data.Length);
        Assert.Equal(data, read);
    }

    /// <summary>Answers the R2Ts of a write until its status comes (skipping what a flooded session still had queued).</summary>
    private static async Task<ScsiResponsePdu> ReceiveStatusAsync(TestInitiator initiator, byte[] data)
    {
        var tag = initiator.NextTaskTag - 1;
        while (true)
        {
            switch (await initiator.ReceiveAsync(Patience))
            {
                case ReadyToTransferPdu r2t when r2t.InitiatorTaskTag == tag:
                    await initiator.SendAsync(new ScsiDataOutPdu
                    {
                        Final = true,
                        InitiatorTaskTag = tag,
                        TargetTransferTag = r2t.TargetTransferTag,
                        ExpStatSN = initiator.ExpStatSn,
                        DataSN = 0,
                        BufferOffset = r2t.BufferOffset,
                        Data = data.AsMemory((int)r2t.BufferOffset, (int)r2t.DesiredDataTransferLength),
                    });
                    break;
                case ScsiResponsePdu response when response.InitiatorTaskTag == tag:
                    return response;
                default:
                    break;
            }
        }
    }

    private static void AssertSense(ScsiResponsePdu response, byte key, byte asc, byte ascq)
    {
        // RFC 7143 11.4.7.2: SenseLength (2 bytes), then fixed-format sense.
        var sense = response.Data.Span[2..];
        Assert.Equal(key, sense[2] & 0x0F);
        Assert.Equal(asc, sense[12]);
        Assert.Equal(ascq, sense[13]);
    }

    private static byte[] Write16(ulong lba, uint blocks)
    {
        var cdb = new byte[16];
        cdb[0] = 0x8A;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), blocks);
        return cdb;
    }

    private void Report(PortalUsage usage, string flood) =>
        _output.WriteLine(
            $"{flood}; peaks per connection: {usage.PeakPendingPdusPerConnection} PDUs / {usage.PeakPendingBytesPerConnection / 1024} KiB pending, "
            + $"{usage.PeakOutputBytesPerConnection / 1024} KiB of answers queued; transfer memory peak {usage.PeakTransferBytes / 1024} KiB; "
            + $"managed heap {GC.GetTotalMemory(false) / (1024 * 1024)} MiB");
}
