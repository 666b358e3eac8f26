using System.Diagnostics;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Tests.Support;
using Xunit.Abstractions;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// The worst floods of issue 15 against one real node process (RocksDB store, LUN actors, configuration),
/// one after another, each from an attacker that never reads its socket. After each, the process must be
/// alive, its peak RSS (VmHWM) under 1 GiB (the bound reference.conf's limits section derives for the
/// default configuration: "under 1 GiB of RSS whatever initiators send"), and a healthy session beside
/// the attacker must write and read back its data within a generous patience. Measured figures are printed.
/// </summary>
public sealed class NodeFloodTests(ITestOutputHelper output)
{
    private const long RssBudget = 1L << 30;
    private const int Block = HealthySession.BlockSize;

    private static readonly TimeSpan FloodTime = TimeSpan.FromSeconds(2.5);
    private static readonly TimeSpan HealthyPatience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task TheWorstFloodsOneAfterAnotherLeaveTheNodeAliveUnderItsMemoryBudgetAndServingAnother()
    {
        using var files = new TemporaryFiles();
        await using var node = await NodeProcess.StartAsync(files.Directory("store"));
        await using var healthy = await HealthySession.OpenAsync(node.Portal, isid: 0x80_00_00_00_FF_FF, HealthyPatience);
        output.WriteLine($"node started: RSS {Mib(node.RssBytes)} MiB, peak {Mib(node.PeakRssBytes)} MiB");

        var ping = new byte[64 * 1024];
        await FloodAsync(node, healthy, "NOP-Out with 64 KiB on a discovery session", discovery: true, attacker => attacker.FloodAsync(
            n => new NopOutPdu { Immediate = true, InitiatorTaskTag = (uint)n, CmdSN = attacker.CmdSn, Data = ping },
            FloodTime));

        var text = new byte[32 * 1024];
        Array.Fill(text, (byte)'a');
        await FloodAsync(node, healthy, "Text Request continuation (C bit) never finished on a discovery session", discovery: true, attacker => attacker.FloodAsync(
            _ => new TextRequestPdu { Immediate = true, Continue = true, InitiatorTaskTag = 0x10, CmdSN = attacker.CmdSn, Data = text },
            FloodTime));

        var block = new byte[Block];
        Random.Shared.NextBytes(block);
        await FloodAsync(node, healthy, "immediate WRITE(10) with unique tags", discovery: false, attacker => attacker.FloodAsync(
            n => attacker.Command(TestInitiator.Write10((uint)(n % 1024), 1), write: true, expectedLength: Block, immediateData: block, immediate: true, lun: HealthySession.Lun1),
            FloodTime));

        const int readLength = 256 * 1024;
        await FloodAsync(node, healthy, "READ(10) of 256 KiB paced inside the CmdSN window", discovery: false, attacker => attacker.FloodAsync(
            n => attacker.Command(TestInitiator.Read10((uint)(n % 64 * 512), readLength / Block), read: true, expectedLength: readLength, lun: HealthySession.Lun1),
            FloodTime,
            pace: TimeSpan.FromMilliseconds(5),
            burst: 16));
    }

    /// <summary>
    /// Runs one flood from a new attacker; halfway through, and again once it has stopped sending (the attacker
    /// still connected, never reading), the healthy session writes and reads back 8 blocks.
    /// </summary>
    private async Task FloodAsync(NodeProcess node, HealthySession healthy, string name, bool discovery, Func<TestInitiator, Task<int>> flood)
    {
        await using var attacker = await TestInitiator.ConnectAsync(node.Portal);
        attacker.Isid = 0x80_00_00_00_AA_00 + (ulong)name.Length;
        Assert.Equal(LoginStatus.Success, (await attacker.LoginAsync(discovery ? null : TestNode.TargetName, initiatorName: "iqn.2026-12.io.iscsicluster.test:attacker")).Status);

        var clock = Stopwatch.StartNew();
        var flooding = flood(attacker);
        await Task.Delay(FloodTime / 2);
        var during = await healthy.WriteAndReadBackAsync(lba: 2048, seed: name.Length, HealthyPatience);
        var sent = await flooding;
        var after = await healthy.WriteAndReadBackAsync(lba: 4096, seed: name.Length + 1, HealthyPatience);

        Assert.False(node.HasExited, $"the node died during: {name}");
        var peak = node.PeakRssBytes;
        output.WriteLine(
            $"{name}: {sent} PDUs in {clock.Elapsed.TotalSeconds:F1} s; node RSS {Mib(node.RssBytes)} MiB, peak {Mib(peak)} MiB; " +
            $"healthy write+read back {during.TotalMilliseconds:F0} ms during the flood, {after.TotalMilliseconds:F0} ms after it");
        Assert.True(peak < RssBudget, $"{name}: the node's peak RSS reached {Mib(peak)} MiB, over the 1 GiB budget");
    }

    private static long Mib(long bytes) => bytes / (1024 * 1024);
}
