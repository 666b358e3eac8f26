using System.Diagnostics;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Tests.Support;
using Xunit.Abstractions;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// The live-portal fuzzer of PortalFuzzTests (ConnectionFuzzer: mutated login and full-feature PDUs over many
/// connections) against a real node process: its RocksDB store, LUN actors, configuration and ACL. Afterwards
/// the node must be alive, must have logged no error, must still log an initiator in, and must read back what
/// a healthy session wrote before the fuzzing. The seed is printed so that a failure replays
/// (ISCSI_CLUSTER_FUZZ_SEED); ISCSI_CLUSTER_FUZZ_PDUS sets how many PDUs to send (a few thousand by default;
/// e.g. ISCSI_CLUSTER_FUZZ_PDUS=200000 for a long run), the same variables as PortalFuzzTests.
/// </summary>
public sealed class NodeFuzzTests(ITestOutputHelper output)
{
    private const int DefaultPdus = 6000;
    private const int Workers = 4;

    // The test LUN is 64 MiB of 512-byte blocks. The fuzzer aims its well-formed reads and writes at the
    // first half; the healthy data sits in the second, where only a rare mutated LBA could reach it.
    private const long FuzzedBlocks = 64 * 1024;
    private const uint HealthyLba = 100_000;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task MutatedPdusAgainstARealNodeLeaveItAliveServingAndItsDataIntact()
    {
        var seed = ConnectionFuzzer.ReadInt("ISCSI_CLUSTER_FUZZ_SEED") ?? Random.Shared.Next();
        var budget = ConnectionFuzzer.ReadInt("ISCSI_CLUSTER_FUZZ_PDUS") ?? DefaultPdus;
        output.WriteLine($"fuzzing a node process with seed={seed} pdus={budget} (replay: ISCSI_CLUSTER_FUZZ_SEED={seed})");
        using var files = new TemporaryFiles();
        await using var node = await NodeProcess.StartAsync(files.Directory("store"));

        byte[] written;
        await using (var before = await HealthySession.OpenAsync(node.Portal, isid: 0x80_00_00_00_FF_01, Patience))
        {
            written = await before.WriteAsync(HealthyLba, 16, seed, Patience);
        }

        var clock = Stopwatch.StartNew();
        var target = new FuzzTarget(node.Portal, TestNode.TargetName, HealthySession.Lun1, HealthySession.BlockSize, FuzzedBlocks);
        var (sent, connections, targetFaults) = await ConnectionFuzzer.RunManyAsync(target, seed, budget, Workers);
        output.WriteLine($"seed={seed}: {sent} PDUs over {connections} connections in {clock.Elapsed.TotalSeconds:F1} s; node RSS {node.RssBytes >> 20} MiB, peak {node.PeakRssBytes >> 20} MiB");

        Assert.False(node.HasExited, $"seed={seed}: the node died:\n{Tail(node.Output)}");
        Assert.True(targetFaults.Count == 0, $"seed={seed}: the node sent what an initiator cannot read:\n{string.Join('\n', targetFaults.Take(5))}");
        await using (var after = await HealthySession.OpenAsync(node.Portal, isid: 0x80_00_00_00_FF_02, Patience))
        {
            var read = await after.ReadAsync(HealthyLba, 16);
            Assert.True(written.AsSpan().SequenceEqual(read), $"seed={seed}: the data written before the fuzzing changed");
            var round = await after.WriteAndReadBackAsync(HealthyLba + 64, seed + 1, Patience);
            output.WriteLine($"healthy session after the fuzzing: write+read back {round.TotalMilliseconds:F0} ms");
        }

        var errors = node.Output.Split('\n').Where(line => line.Contains(" fail: ", StringComparison.Ordinal) || line.Contains(" crit: ", StringComparison.Ordinal)).ToList();
        Assert.True(errors.Count == 0, $"seed={seed}: the node logged errors:\n{string.Join('\n', errors.Take(5))}");
        Assert.False(node.HasExited);
    }

    private static string Tail(string log) => string.Join('\n', log.Split('\n').TakeLast(40));
}
