using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Transport;
using IscsiCluster.Node.Tests.Support;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Tests;

/// <summary>The tgtadm commands administrators already type, through the real admin command, against a running node.</summary>
public sealed class AdministrationTests
{
    private const string TargetName = "iqn.2013-05.com.magedu:tsan.disk1";

    [Fact]
    public async Task TheSevenTgtadmCommandsSucceedAndShowListsTargetLunsAccountsAndAcl()
    {
        using var files = new TemporaryFiles();
        var scratch = files.Random("sda5.img", 4 * 1024 * 1024);
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;

        await AdminCli.MustRunAsync(socket, $"--lld iscsi --op new --mode target --tid 1 -T {TargetName}");
        await AdminCli.MustRunAsync(socket, $"--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b {scratch}");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op bind --mode target --tid 1 -I 172.16.0.0/16");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op new --mode account --user christina --password 123456");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op bind --mode account --tid 1 --user christina");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op new --mode account --user clyde --password 654321");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op bind --mode account --tid 1 --user clyde --outgoing");
        var show = await AdminCli.MustRunAsync(socket, "--lld iscsi --op show --mode target");

        Assert.Contains($"Target 1: {TargetName}", show, StringComparison.Ordinal);
        Assert.Matches(@"LUN: 0\s+Type: controller", show);
        Assert.Matches(@"LUN: 1\s+Type: disk\s+SCSI ID: naa\.3[0-9a-f]{15}\s+SCSI SN: [0-9a-f]{15}", show);
        Assert.Contains($"Backing store path: {scratch}", show, StringComparison.Ordinal);
        Assert.Matches(@"Account information:\s+christina\s+clyde \(outgoing\)", show);
        Assert.Matches(@"ACL information:\s+172\.16\.0\.0/16", show);
        Assert.DoesNotContain("123456", show, StringComparison.Ordinal);
        Assert.DoesNotContain("654321", show, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImportedLunHoldsTheFilesContentsAndNoLongerNeedsTheFile()
    {
        using var files = new TemporaryFiles();
        var scratch = files.Random("import.img", 3 * 1024 * 1024, seed: 21);
        var expected = await File.ReadAllBytesAsync(scratch);
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await AdminCli.MustRunAsync(socket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");
        await AdminCli.MustRunAsync(socket, $"--op new --mode logicalunit --tid 1 --lun 1 -b {scratch}");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 1 -I ALL");
        File.Delete(scratch);

        var copy = files.Path("copy.raw");
        var read = await ExternalTool.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "raw", node.Url(1), copy]);

        Assert.True(read.ExitCode == 0, read.All);
        var actual = await File.ReadAllBytesAsync(copy);
        Assert.True(expected.AsSpan().SequenceEqual(actual), "the LUN does not hold the imported file");
    }

    [Fact]
    public async Task ErrorsReadLikeTgtadmsAndExitNonZero()
    {
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await AdminCli.MustRunAsync(socket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");

        var again = await AdminCli.RunAsync(socket, "--op", "new", "--mode", "target", "--tid", "1", "-T", TestNode.TargetName);
        var missing = await AdminCli.RunAsync(socket, "--op", "delete", "--mode", "target", "--tid", "7");
        var missingFile = await AdminCli.RunAsync(socket, "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", "/nonexistent/disk.img");
        var relativeFile = await AdminCli.RunAsync(socket, "--op", "new", "--mode", "logicalunit", "--tid", "1", "--lun", "1", "-b", "disk.img");

        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("this target already exists", again.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("can't find the target", missing.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, missingFile.ExitCode);
        Assert.Contains("can't open the backing store", missingFile.Error, StringComparison.Ordinal);
        Assert.NotEqual(0, relativeFile.ExitCode);
        Assert.Contains("absolute path", relativeFile.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnImportReportsProgressUpToTheWholeFile()
    {
        using var files = new TemporaryFiles();
        var scratch = files.Random("progress.img", 5 * 1024 * 1024);
        await using var node = await TestNode.StartEmptyAsync();
        await AdminCli.MustRunAsync(node.AdminSocket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");
        var steps = new List<AdmProgress>();
        var transport = new SocketAdminTransport(AdminEndpoint.UnixSocket(node.AdminSocket));

        var response = await transport.SendAsync(
            new AdmRequest(AdmMode.LogicalUnit, AdmOp.New) { Tid = 1, Lun = 1, BackingStore = scratch },
            new Collect(steps),
            CancellationToken.None);

        Assert.True(response.Succeeded, response.ToString());
        Assert.True(steps.Count > 1, $"{steps.Count} progress frames");
        Assert.Equal(steps.Select(s => s.DoneBytes).Order(), steps.Select(s => s.DoneBytes));
        Assert.Equal((5L * 1024 * 1024, 5L * 1024 * 1024), (steps[^1].DoneBytes, steps[^1].TotalBytes));
    }

    [Fact]
    public async Task AVolumeNoLunKeepsHereIsDeletedOnceTheClusterConfigurationIsKnown()
    {
        using var files = new TemporaryFiles();
        var data = files.Directory("data");
        await (await TestNode.StartAsync(dataDirectory: data)).DisposeAsync();

        // What a crash between creating a LUN's volume and storing the configuration leaves behind.
        const ulong Orphan = 0x0123_4567_89ab_cdef;
        using (var store = BlockStore.Open(data))
        {
            store.CreateVolume(Orphan, 1024 * 1024);
        }

        await (await TestNode.StartAsync(dataDirectory: data)).DisposeAsync();

        using (var store = BlockStore.Open(data))
        {
            Assert.False(store.TryGetVolume(Orphan, out _));
            Assert.Equal(2, store.ListVolumes().Count); // the cluster's configuration and the one LUN
        }
    }

    /// <summary>Collects progress synchronously (Progress&lt;T&gt; would post to the thread pool and lose the order).</summary>
    private sealed class Collect(List<AdmProgress> steps) : IProgress<AdmProgress>
    {
        public void Report(AdmProgress value) => steps.Add(value);
    }
}
