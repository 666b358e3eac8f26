using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>Logins and discovery with libiscsi's tools against a node.</summary>
public sealed class LoginTests
{
    [Fact]
    public async Task IscsiLsListsTheTargetWithControllerLunZeroAndTheDisk()
    {
        await using var node = await TestNode.StartAsync();

        var result = await ExternalTool.RunAsync("iscsi-ls", ["-s", $"iscsi://{node.Portal.Address}:{node.Portal.Port}"]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"Target:{TestNode.TargetName}", result.Output, StringComparison.Ordinal);
        Assert.Matches(@"Lun:0\s+Type:\S*(CONTROLLER|ARRAY)", result.Output);
        // libiscsi prints the size as (last LBA x block length) in whole MiB: 63M for a 64 MiB disk, as with tgt.
        Assert.Matches(@"Lun:1\s+Type:DIRECT_ACCESS \(Size:63M\)", result.Output);
    }

    [Fact]
    public async Task ReadCapacity16ReportsTheConfiguredSizeAndBlockLength()
    {
        await using var node = await TestNode.StartAsync();

        var result = await ExternalTool.RunAsync("iscsi-readcapacity16", [node.Url(1)]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("LOGICAL BLOCK LENGTH IN BYTES:512", result.Output, StringComparison.Ordinal);
        Assert.Contains($"Total size:{64L * 1024 * 1024}", result.Output, StringComparison.Ordinal);
        Assert.Contains("LBPME:1 LBPRZ:1", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InquiryOfTheDiskCarriesAStableNaaDesignator()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("iscsi-cluster-test-").FullName;
        try
        {
            string first;
            await using (var node = await TestNode.StartAsync(dataDirectory: dataDirectory))
            {
                var result = await ExternalTool.RunAsync("iscsi-inq", ["-e", "1", "-c", "131", node.Url(1)]);
                Assert.True(result.ExitCode == 0, result.All);
                first = result.Output;
            }

            await using (var node = await TestNode.StartAsync(dataDirectory: dataDirectory))
            {
                var result = await ExternalTool.RunAsync("iscsi-inq", ["-e", "1", "-c", "131", node.Url(1)]);
                Assert.True(result.ExitCode == 0, result.All);
                Assert.Contains("Designator Type:(3) NAA", first, StringComparison.Ordinal);
                Assert.Contains("Designator Type:(4) RELATIVE_TARGET_PORT", first, StringComparison.Ordinal);
                Assert.Contains("Designator Type:(5) TARGET_PORT_GROUP", first, StringComparison.Ordinal);
                Assert.Equal(first, result.Output);
            }
        }
        finally
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task ATargetWithoutAclEntriesRefusesTheLoginAndIsNotDiscovered()
    {
        await using var node = await TestNode.StartAsync("luns = [ { lun = 1, size = 8M } ]");

        var login = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);
        var discovery = await ExternalTool.RunAsync("iscsi-ls", [$"iscsi://{node.Portal.Address}:{node.Portal.Port}"]);

        Assert.NotEqual(0, login.ExitCode);
        Assert.Contains("authorization", login.All, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(TestNode.TargetName, discovery.Output, StringComparison.Ordinal);
    }
}
