using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using Xunit.Abstractions;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>
/// The portal driven by real initiators: libiscsi's command-line tools and qemu-img. A missing
/// tool fails the test; ./iscsi-cluster test installs them.
/// </summary>
public sealed class RealInitiatorTests(ITestOutputHelper output) : PortalTestKit
{
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(60);
    private static readonly ChapAccount Alice = new("alice", "alice-secret-1234");
    private static readonly ChapAccount TargetAccount = new("target", "target-secret-5678");

    [Fact]
    public async Task IscsiInqReadsTheStandardInquiryOfTheDisk()
    {
        var tool = Tool("iscsi-inq");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);

        var result = await ExternalTool.RunAsync(tool, [portal.DiskUrl], ToolTimeout);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ISCLUSTR", result.Output, StringComparison.Ordinal);
        Assert.Contains("TEST DISK", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IscsiReadCapacity16ReportsTheDiskGeometry()
    {
        var tool = Tool("iscsi-readcapacity16");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);

        var result = await ExternalTool.RunAsync(tool, [portal.DiskUrl], ToolTimeout);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains($"{TestPortal.BlockCount - 1}", result.Output, StringComparison.Ordinal);
        Assert.Contains($"{TestPortal.BlockSize}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IscsiLsDiscoversTheTargetThroughSendTargets()
    {
        var tool = Tool("iscsi-ls");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);

        var result = await ExternalTool.RunAsync(tool, ["-s", $"iscsi://127.0.0.1:{portal.EndPoint.Port}"], ToolTimeout);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(TestPortal.DiskTarget, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IscsiInqLogsInWithOneWayChap()
    {
        var tool = Tool("iscsi-inq");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice] });

        var result = await ExternalTool.RunAsync(tool, [WithCredentials(portal, Alice.Secret)], ToolTimeout);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ISCLUSTR", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IscsiInqWithAWrongChapSecretIsRefused()
    {
        var tool = Tool("iscsi-inq");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice] });

        var result = await ExternalTool.RunAsync(tool, [WithCredentials(portal, "wrong-secret-12345")], ToolTimeout);

        output.WriteLine(result.ToString());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Authentication failure", result.Output + result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IscsiInqLogsInWithMutualChap()
    {
        var tool = Tool("iscsi-inq");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice], OutgoingAccount = TargetAccount });

        var url = $"{WithCredentials(portal, Alice.Secret)}?target_user={TargetAccount.User}&target_password={TargetAccount.Secret}";
        var result = await ExternalTool.RunAsync(tool, [url], ToolTimeout);

        output.WriteLine(result.ToString());
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("ISCLUSTR", result.Output, StringComparison.Ordinal);
    }

    /// <summary>libiscsi's own conformance tests of the iSCSI transport (the SCSI suites belong to the SCSI layer).</summary>
    [Theory]
    [InlineData("iSCSI.iSCSIcmdsn.*")]
    [InlineData("iSCSI.iSCSIResiduals.Read*")]
    [InlineData("iSCSI.iSCSITMF.*")]
    public async Task IscsiTestCuTransportSuitesPass(string suite)
    {
        var tool = Tool("iscsi-test-cu");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);

        var result = await ExternalTool.RunAsync(tool, ["--dataloss", $"--test={suite}", portal.DiskUrl], ToolTimeout);

        output.WriteLine(result.ToString());
        var summary = result.Output.Split('\n').Single(line => line.TrimStart().StartsWith("tests ", StringComparison.Ordinal));
        var counts = summary.Split(' ', StringSplitOptions.RemoveEmptyEntries);

        // "tests <total> <ran> <passed> <failed> <inactive>"
        Assert.NotEqual("0", counts[2]);
        Assert.Equal(counts[2], counts[3]);
        Assert.Equal("0", counts[4]);
    }

    [Fact]
    public async Task QemuImgWritesAnImageToTheLunAndReadsItBack()
    {
        var tool = Tool("qemu-img");

        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        var directory = Directory.CreateTempSubdirectory("iscsi-qemu-");
        try
        {
            var image = new byte[TestPortal.BlockSize * TestPortal.BlockCount];
            new Random(7).NextBytes(image);
            var source = Path.Combine(directory.FullName, "source.raw");
            var copy = Path.Combine(directory.FullName, "copy.raw");
            await File.WriteAllBytesAsync(source, image);

            var write = await ExternalTool.RunAsync(tool, ["convert", "-n", "-f", "raw", "-O", "raw", source, portal.DiskUrl], ToolTimeout);
            output.WriteLine(write.ToString());
            Assert.Equal(0, write.ExitCode);
            Assert.True(portal.Disk.Contents.SequenceEqual(image), "the LUN does not hold the image qemu-img wrote");

            var read = await ExternalTool.RunAsync(tool, ["convert", "-f", "raw", "-O", "raw", portal.DiskUrl, copy], ToolTimeout);
            output.WriteLine(read.ToString());
            Assert.Equal(0, read.ExitCode);
            Assert.Equal(image, await File.ReadAllBytesAsync(copy));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static string WithCredentials(TestPortal portal, string secret) =>
        $"iscsi://{Alice.User}%{secret}@127.0.0.1:{portal.EndPoint.Port}/{TestPortal.DiskTarget}/0";

    // A missing initiator fails the test: ./iscsi-cluster test installs libiscsi-bin and qemu-utils.
    private static string Tool(string name)
        => ExternalTool.Find(name) ?? throw new InvalidOperationException($"{name} is not installed: run ./iscsi-cluster test, which installs libiscsi-bin and qemu-utils");
}
