using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using Akka.Actor;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using static IscsiCluster.Iscsi.Tests.ScsiCommandTests;
using AkkaError = Akka.Event.Error;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>
/// A live-portal fuzzer: real login and full-feature PDUs (login with keys, text, NOP-Out, READ
/// and WRITE with data, Data-Out, task management, logout, SNACK), mutated in their bytes and
/// fields, thrown at a running portal over many connections at once. Afterwards the portal must
/// still log an initiator in and serve READ and WRITE correctly, no actor may have crashed, nothing
/// may have been logged as an error, and the log must have grown with the connections, not with
/// the PDUs. Every connection draws from a Random seeded from one seed, printed so that a failure
/// replays (ISCSI_CLUSTER_FUZZ_SEED); ISCSI_CLUSTER_FUZZ_PDUS sets how many PDUs to send.
/// </summary>
public sealed class PortalFuzzTests : PortalTestKit
{
    private const int DefaultPdus = 6000;
    private const int Workers = 4;

    // The log may hold this many lines per connection (login, session, a first line and a count
    // per kind of warning) whatever the connection sent, plus a constant.
    private const int LinesPerConnection = 40;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly ITestOutputHelper _output;

    public PortalFuzzTests(ITestOutputHelper output)
        : base(output)
    {
        _output = output;
    }

    [Fact]
    public async Task MutatedPdusOverManyConnectionsLeaveThePortalServingAndItsLogQuiet()
    {
        var seed = ConnectionFuzzer.ReadInt("ISCSI_CLUSTER_FUZZ_SEED") ?? Random.Shared.Next();
        var budget = ConnectionFuzzer.ReadInt("ISCSI_CLUSTER_FUZZ_PDUS") ?? DefaultPdus;
        _output.WriteLine($"fuzzing with seed={seed} pdus={budget} (replay: ISCSI_CLUSTER_FUZZ_SEED={seed})");

        var logs = new CapturingLoggerFactory();
        var crashes = new ConcurrentQueue<string>();
        var listener = Sys.ActorOf(Props.Create(() => new ErrorListener(crashes)));
        Sys.EventStream.Subscribe(listener, typeof(AkkaError));
        var settings = TestPortal.Settings("login-timeout = 3s\ntask-management-timeout = 1s\nlogout-grace-period = 1s");
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, settings, loggerFactory: logs);

        var clock = Stopwatch.StartNew();
        var target = new FuzzTarget(portal.EndPoint, TestPortal.DiskTarget, Lun: 0, TestPortal.BlockSize, TestPortal.BlockCount);
        var (sent, connections, targetFaults) = await ConnectionFuzzer.RunManyAsync(target, seed, budget, Workers);
        var fuzzTime = clock.Elapsed;

        // The portal still logs in a healthy initiator and keeps its data straight.
        await using (var healthy = await TestInitiator.ConnectAsync(portal.EndPoint))
        {
            healthy.Isid = 0x80_00_00_00_FF_FF;
            Assert.Equal(LoginStatus.Success, (await healthy.LoginAsync(TestPortal.DiskTarget)).Status);
            await ClearUnitAttentionsAsync(healthy);
            var pattern = Pattern(8 * TestPortal.BlockSize, seed);
            await healthy.SendAsync(healthy.Command(TestInitiator.Write10(4000, 8), write: true, expectedLength: (uint)pattern.Length, immediateData: pattern));
            Assert.Equal((byte)ScsiStatus.Good, (await healthy.ReceiveAsync<ScsiResponsePdu>()).Status);
            await healthy.SendAsync(healthy.Command(TestInitiator.Read10(4000, 8), read: true, expectedLength: (uint)pattern.Length));
            var (data, _, _) = await healthy.ReceiveReadAsync(pattern.Length);
            Assert.Equal(pattern, data);
        }

        var lines = logs.Lines;
        _output.WriteLine($"seed={seed}: {sent} PDUs over {connections} connections in {fuzzTime.TotalSeconds:F1} s; {lines.Count} log lines ({(double)lines.Count / Math.Max(1, sent):F3} a PDU)");
        foreach (var group in lines.GroupBy(line => line.EventId).OrderByDescending(g => g.Count()).Take(12))
        {
            _output.WriteLine($"  event {group.Key}: {group.Count()} lines, e.g. {group.First().Message}");
        }

        Assert.True(targetFaults.Count == 0, $"seed={seed}: the target sent what an initiator cannot read:\n{string.Join('\n', targetFaults.Take(5))}");
        Assert.True(crashes.IsEmpty, $"seed={seed}: actors failed:\n{string.Join('\n', crashes.Take(5))}");
        var errors = lines.Where(line => line.Level >= LogLevel.Error).ToList();
        Assert.True(errors.Count == 0, $"seed={seed}: error lines:\n{string.Join('\n', errors.Take(5))}");
        Assert.True(
            lines.Count <= (LinesPerConnection * connections) + 200,
            $"seed={seed}: {lines.Count} log lines for {connections} connections and {sent} PDUs");
    }

    private static async Task ClearUnitAttentionsAsync(TestInitiator initiator)
    {
        // Fuzzed resets leave unit attentions behind for every nexus: TEST UNIT READY takes them.
        for (var attempt = 0; attempt < 8; attempt++)
        {
            await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
            if ((await initiator.ReceiveAsync<ScsiResponsePdu>()).Status == (byte)ScsiStatus.Good)
            {
                return;
            }
        }
    }

    /// <summary>Keeps what Akka reports as errors (an actor that threw, a crash in a dispatcher).</summary>
    private sealed class ErrorListener : ReceiveActor
    {
        public ErrorListener(ConcurrentQueue<string> errors) => Receive<AkkaError>(error => errors.Enqueue(error.ToString()));
    }
}
