using System.Globalization;
using System.Text.RegularExpressions;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>
/// An initiator that opens and closes sessions in a loop (issue 15: 20,000 sessions wrote 80,000 lines)
/// costs the log a few lines and a summary with the count, while one login is logged as it always was.
/// </summary>
public sealed class SessionChurnLogTests(ITestOutputHelper output) : PortalTestKit(output)
{
    // Event ids of the lines under test (LoginLog, SessionLog).
    private const int LoginSucceededEvent = 2001;
    private const int SummaryEvent = 2009;
    private const int SessionOpenedEvent = 2100;
    private const int SessionClosedEvent = 2101;
    private const int LogoutEvent = 2114;

    private static readonly int[] RoutineEvents = [LoginSucceededEvent, SessionOpenedEvent, LogoutEvent, SessionClosedEvent];
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output = output;

    [Fact]
    public async Task ASingleSessionIsLoggedAtInformationFromLoginToClose()
    {
        var logs = new CapturingLoggerFactory();
        var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, loggerFactory: logs);

        await OpenAndCloseAsync(portal, isid: 0x80_00_00_00_00_01);
        await portal.DisposeAsync();

        foreach (var eventId in RoutineEvents)
        {
            Assert.Equal(LogLevel.Information, Assert.Single(logs.WithEvent(eventId)).Level);
        }

        Assert.Empty(logs.WithEvent(SummaryEvent));
    }

    [Fact]
    public async Task ThreeHundredSessionsOpenedAndClosedInALoopLogAFewLinesAndOneSummaryWithTheirCount()
    {
        const int Sessions = 300;
        const int Logged = 4;
        var logs = new CapturingLoggerFactory();
        var settings = TestPortal.Settings($"session-log {{ logged-sessions = {Logged}, summary-interval = 1h }}");
        var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, settings, loggerFactory: logs);

        for (var i = 0; i < Sessions; i++)
        {
            await OpenAndCloseAsync(portal, isid: 0x80_00_00_00_00_00UL | (uint)i);
        }

        // Stopping the portal hands out the counts of an interval that has not passed yet.
        await portal.DisposeAsync();

        var information = logs.Lines.Where(line => line.Level >= LogLevel.Information).ToList();
        _output.WriteLine($"{Sessions} sessions: {logs.Lines.Count} lines in all, {information.Count} at Information or above:\n{string.Join('\n', information)}");
        Assert.True(information.Count < 20, $"{information.Count} lines at Information or above for {Sessions} sessions");
        foreach (var eventId in RoutineEvents)
        {
            Assert.Equal(Logged, logs.WithEvent(eventId).Count(line => line.Level == LogLevel.Information));
            Assert.Equal(Sessions - Logged, logs.WithEvent(eventId).Count(line => line.Level == LogLevel.Debug));
        }

        var summary = Assert.Single(logs.WithEvent(SummaryEvent));
        Assert.Equal(LogLevel.Information, summary.Level);
        Assert.Contains($"{TestInitiator.DefaultInitiatorName} at 127.0.0.1: {Sessions - Logged} more sessions opened and {Sessions - Logged} closed", summary.Message);
    }

    [Fact]
    public async Task TheSummaryIsLoggedOnceTheIntervalHasPassedWhileThePortalRuns()
    {
        const int Sessions = 10;
        var logs = new CapturingLoggerFactory();
        var settings = TestPortal.Settings("session-log { logged-sessions = 1, summary-interval = 2s }");
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, settings, loggerFactory: logs);

        for (var i = 0; i < Sessions; i++)
        {
            await OpenAndCloseAsync(portal, isid: 0x80_00_00_00_01_00UL | (uint)i);
        }

        // Every session is either logged or counted in a summary (a slow machine may spread them over two intervals).
        await AwaitAssertAsync(
            () =>
            {
                var summarised = logs.WithEvent(SummaryEvent).Sum(line => long.Parse(Regex.Match(line.Message, @": (\d+) more sessions opened").Groups[1].Value, CultureInfo.InvariantCulture));
                var logged = logs.WithEvent(SessionOpenedEvent).Count(line => line.Level == LogLevel.Information);
                Assert.NotEmpty(logs.WithEvent(SummaryEvent));
                Assert.Equal(Sessions, logged + summarised);
            },
            Patience);
    }

    [Fact]
    public async Task FailedLoginsAreLoggedEachTimeWhateverTheChurn()
    {
        var logs = new CapturingLoggerFactory();
        var settings = TestPortal.Settings("session-log { logged-sessions = 0, summary-interval = 1h }");
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, settings, loggerFactory: logs);

        for (var i = 0; i < 3; i++)
        {
            await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
            Assert.Equal(LoginStatus.NotFound, (await initiator.LoginAsync("iqn.2026-11.io.iscsicluster.test:nothing")).Status);
        }

        Assert.Equal(3, logs.WithEvent(2000).Count(line => line.Level == LogLevel.Information));
    }

    private static async Task OpenAndCloseAsync(TestPortal portal, ulong isid)
    {
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        initiator.Isid = isid;
        Assert.Equal(LoginStatus.Success, (await initiator.LoginAsync(TestPortal.DiskTarget)).Status);
        await initiator.SendAsync(new LogoutRequestPdu { Immediate = true, Reason = LogoutReason.CloseSession, InitiatorTaskTag = 0x99, ConnectionId = 1, CmdSN = initiator.CmdSn, ExpStatSN = initiator.ExpStatSn });
        Assert.Equal(LogoutResponseCode.Success, (await initiator.ReceiveAsync<LogoutResponsePdu>()).Response);
    }
}
