using Akka.TestKit;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;
using static IscsiCluster.Iscsi.Tests.ScsiCommandTests;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>
/// What a peer can make the portal log: a warning it can repeat with every PDU is logged once per
/// connection and kind, then counted; task management is logged with who, what and where.
/// </summary>
public sealed class QuietLogTests : PortalTestKit
{
    private const int Flood = 2000;

    // Event ids of the lines under test (LoginLog, SessionLog).
    private const int PduRejectedEvent = 2004;
    private const int ConnectionSuppressedEvent = 2007;
    private const int UnsupportedOpcodeEvent = 2104;
    private const int CommandDroppedEvent = 2105;
    private const int SessionSuppressedEvent = 2117;
    private const int TaskManagementEvent = 2118;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task AFloodOfUnsupportedOpcodesLogsOneLineOfEachKindThenItsCountWhenTheConnectionEnds()
    {
        var logs = new CapturingLoggerFactory();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("repeated-warning-interval = 1h"), loggerFactory: logs);
        var initiator = await LoggedInAsync(portal);

        // 0x1C is no opcode at all (the reader rejects it); 0x20 is NOP-In, an opcode only a target sends (the session rejects it).
        var undefined = Pdu(0x1C);
        var targetOnly = Pdu((byte)IscsiOpcode.NopIn);
        var burst = new byte[Flood * 2 * BasicHeaderSegment.Length];
        for (var i = 0; i < Flood * 2; i++)
        {
            (i % 2 == 0 ? undefined : targetOnly).CopyTo(burst, i * BasicHeaderSegment.Length);
        }

        await initiator.SendRawAsync(burst);
        for (var i = 0; i < Flood * 2; i++)
        {
            Assert.IsType<RejectPdu>(await initiator.ReceiveAsync());
        }

        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        Assert.Equal((byte)ScsiStatus.Good, (await initiator.ReceiveAsync<ScsiResponsePdu>()).Status);
        Assert.Single(logs.WithEvent(PduRejectedEvent));
        Assert.Single(logs.WithEvent(UnsupportedOpcodeEvent));

        await initiator.DisposeAsync();
        await AwaitAssertAsync(
            () =>
            {
                var connection = Assert.Single(logs.WithEvent(ConnectionSuppressedEvent));
                Assert.Contains($"{Flood - 1} more", connection.Message);
                var session = Assert.Single(logs.WithEvent(SessionSuppressedEvent));
                Assert.Contains($"{Flood - 1} more 'unsupported opcode'", session.Message);
            },
            Patience);
        Assert.True(logs.Lines.Count < 40, $"{logs.Lines.Count} log lines for {Flood * 2} bad PDUs:\n{string.Join('\n', logs.Lines)}");
    }

    [Fact]
    public async Task AFloodOfCommandsOutsideTheWindowLogsOneLineThenItsCountWhenTheSessionEnds()
    {
        var logs = new CapturingLoggerFactory();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("repeated-warning-interval = 1h"), loggerFactory: logs);
        var initiator = await LoggedInAsync(portal);

        var expected = initiator.CmdSn;
        var burst = new List<byte>();
        for (var i = 0; i < Flood; i++)
        {
            var command = initiator.Command(TestInitiator.TestUnitReady()) with { CmdSN = expected + 100_000 + (uint)i };
            burst.AddRange(PduWriter.ToArray(command, default));
        }

        initiator.CmdSn = expected;
        await initiator.SendRawAsync([.. burst]);
        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var response = await initiator.ReceiveAsync<ScsiResponsePdu>();

        Assert.Equal((byte)ScsiStatus.Good, response.Status);
        Assert.Single(logs.WithEvent(CommandDroppedEvent));
        await initiator.DisposeAsync();
        await AwaitAssertAsync(
            () => Assert.Contains($"{Flood - 1} more 'command outside the CmdSN window'", Assert.Single(logs.WithEvent(SessionSuppressedEvent)).Message),
            Patience);
    }

    [Fact]
    public async Task ARepeatedWarningIsLoggedAgainWithItsCountOnceTheIntervalHasPassed()
    {
        var logs = new CapturingLoggerFactory();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("repeated-warning-interval = 1s"), loggerFactory: logs);
        await using var initiator = await LoggedInAsync(portal);

        // Each round is one burst, handled well within the interval; the pause outlasts it.
        for (var round = 0; round < 2; round++)
        {
            await initiator.SendRawAsync([.. Enumerable.Repeat(Pdu((byte)IscsiOpcode.NopIn), 50).SelectMany(pdu => pdu)]);
            for (var i = 0; i < 50; i++)
            {
                await initiator.ReceiveAsync<RejectPdu>();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(1200));
        }

        await initiator.SendRawAsync(Pdu((byte)IscsiOpcode.NopIn));
        await initiator.ReceiveAsync<RejectPdu>();

        // Each round's first PDU is logged, the rest of it counted and reported with the next round's first.
        Assert.Equal(3, logs.WithEvent(UnsupportedOpcodeEvent).Count);
        Assert.Equal(["49 more", "49 more"], logs.WithEvent(SessionSuppressedEvent).Select(line => line.Message[line.Message.IndexOf("49 more", StringComparison.Ordinal)..][..7]));
    }

    [Fact]
    public async Task TaskManagementRequestsAreLoggedWithTheInitiatorTheFunctionAndTheLun()
    {
        var logs = new CapturingLoggerFactory();
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, loggerFactory: logs);
        await using var initiator = await LoggedInAsync(portal);

        await initiator.SendAsync(new TaskManagementRequestPdu
        {
            Immediate = true,
            Function = IscsiCluster.Iscsi.Protocol.Pdus.TaskManagementFunction.LogicalUnitReset,
            Lun = 0,
            InitiatorTaskTag = initiator.NextTaskTag++,
            CmdSN = initiator.CmdSn,
            ExpStatSN = initiator.ExpStatSn,
        });
        var answer = await initiator.ReceiveAsync<TaskManagementResponsePdu>();

        Assert.Equal(TaskManagementResponseCode.FunctionComplete, answer.Response);
        var line = Assert.Single(logs.WithEvent(TaskManagementEvent));
        Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Information, line.Level);
        Assert.Contains("LOGICAL UNIT RESET", line.Message);
        Assert.Contains(TestInitiator.DefaultInitiatorName, line.Message);
        Assert.Contains("LUN 0", line.Message);
    }

    /// <summary>A bare 48-byte header with <paramref name="opcode"/> (immediate) and nothing after it.</summary>
    private static byte[] Pdu(byte opcode)
    {
        var bhs = new byte[BasicHeaderSegment.Length];
        bhs[0] = (byte)(0x40 | opcode);
        bhs[1] = 0x80;
        bhs[16] = 0xAB;
        return bhs;
    }
}
