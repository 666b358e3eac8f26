using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Transport;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>The configuration survives a restart with the LUN data, and moves between nodes with --dump and --execute.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task ConfigurationAndLunDataSurviveARestartOnTheSameDataDirectory()
    {
        using var files = new TemporaryFiles();
        var data = files.Directory("data");
        var scratch = files.Random("disk.img", 2 * 1024 * 1024, seed: 5);
        string before;
        await using (var node = await TestNode.StartEmptyAsync(data))
        {
            await ConfigureAsync(node.AdminSocket, scratch);
            var write = await ExternalTool.RunAsync("qemu-io", ["-f", "raw", "-c", "write -P 0xa7 1M 512k", node.Url(2)]);
            Assert.True(write.ExitCode == 0, write.All);
            before = await AdminCli.MustRunAsync(node.AdminSocket, "--op show --mode target");
        }

        await using (var node = await TestNode.StartEmptyAsync(data))
        {
            var after = await AdminCli.MustRunAsync(node.AdminSocket, "--op show --mode target");
            var pattern = await ExternalTool.RunAsync("qemu-io", ["-f", "raw", "-c", "read -P 0xa7 1M 512k", node.Url(2)]);
            var imported = files.Path("imported.raw");
            var copy = await ExternalTool.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "raw", node.Url(1), imported]);

            Assert.Equal(before, after);
            Assert.Contains("christina", after, StringComparison.Ordinal);
            Assert.True(pattern.ExitCode == 0 && !pattern.All.Contains("verification failed", StringComparison.Ordinal), pattern.All);
            Assert.True(copy.ExitCode == 0, copy.All);
            var expected = await File.ReadAllBytesAsync(scratch);
            var actual = await File.ReadAllBytesAsync(imported);
            Assert.True(expected.AsSpan().SequenceEqual(actual), "the imported LUN changed across the restart");
        }
    }

    [Fact]
    public async Task TheStoredConfigurationWinsOverTheHoconTargetsAfterTheFirstStart()
    {
        using var files = new TemporaryFiles();
        var data = files.Directory("data");
        await using (var node = await TestNode.StartAsync(dataDirectory: data))
        {
            await AdminCli.MustRunAsync(node.AdminSocket, "--op new --mode logicalunit --tid 1 --lun 2 --bsopts size=4M");
        }

        await using (var node = await TestNode.StartAsync(dataDirectory: data))
        {
            var show = await AdminCli.MustRunAsync(node.AdminSocket, "--op show --mode target");

            Assert.Contains($"Target 1: {TestNode.TargetName}", show, StringComparison.Ordinal);
            Assert.Matches(@"LUN: 2\s+Type: disk", show);
        }
    }

    [Fact]
    public async Task DumpFedToExecuteOnAnEmptyNodeReproducesTheConfiguration()
    {
        using var files = new TemporaryFiles();
        var scratch = files.Random("disk.img", 1024 * 1024, seed: 9);
        var dump = files.Path("targets.conf");
        ClusterConfiguration original;
        await using (var node = await TestNode.StartEmptyAsync(files.Directory("first")))
        {
            await ConfigureAsync(node.AdminSocket, scratch);
            await File.WriteAllTextAsync(dump, await AdminCli.MustRunAsync(node.AdminSocket, "--dump"));
            original = await ShowWithSecretsAsync(node.AdminSocket);
        }

        await using (var node = await TestNode.StartEmptyAsync(files.Directory("second")))
        {
            await AdminCli.MustRunAsync(node.AdminSocket, $"--execute {dump}");
            var reproduced = await ShowWithSecretsAsync(node.AdminSocket);

            Assert.Equal(WithoutVolumeIds(original), WithoutVolumeIds(reproduced));
        }
    }

    /// <summary>Two targets, a LUN imported from a file and a thin one, accounts both ways, an ACL by address and by name.</summary>
    private static async Task ConfigureAsync(string socket, string scratch)
    {
        await AdminCli.MustRunAsync(socket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");
        await AdminCli.MustRunAsync(socket, $"--op new --mode logicalunit --tid 1 --lun 1 -b {scratch}");
        await AdminCli.MustRunAsync(socket, "--op new --mode logicalunit --tid 1 --lun 2 --bsopts size=16M");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 1 -I ALL");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 1 -Q iqn.2026-11.org.example:host");
        await AdminCli.MustRunAsync(socket, "--op new --mode account --user christina --password 123456secret");
        await AdminCli.MustRunAsync(socket, "--op new --mode account --user clyde --password target-secret-1");
        await AdminCli.MustRunAsync(socket, "--op bind --mode account --tid 1 --user clyde --outgoing");
        await AdminCli.MustRunAsync(socket, "--op new --mode target --tid 2 -T iqn.2026-11.io.iscsicluster.test:second");
        await AdminCli.MustRunAsync(socket, "--op bind --mode account --tid 2 --user christina");
    }

    private static async Task<ClusterConfiguration> ShowWithSecretsAsync(string socket)
    {
        var transport = new SocketAdminTransport(AdminEndpoint.UnixSocket(socket));
        var response = await transport.SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show) { IncludeSecrets = true }, null, CancellationToken.None);
        Assert.True(response.Succeeded, response.ToString());
        return response.Payload?.Configuration ?? throw new InvalidOperationException("show returned no configuration");
    }

    private static ClusterConfiguration WithoutVolumeIds(ClusterConfiguration configuration) =>
        configuration with { Targets = [.. configuration.Targets.Select(t => t with { Luns = [.. t.Luns.Select(l => l with { VolumeId = null })] })] };
}
