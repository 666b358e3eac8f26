using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>What a node acknowledged survives SIGKILL of its process.</summary>
public sealed class DurabilityTests
{
    [Fact]
    public async Task AcknowledgedWritesSurviveKillNine()
    {
        using var files = new TemporaryFiles();
        var store = files.Directory("store");
        var source = files.Random("source.raw", 8 * 1024 * 1024, seed: 11);

        await using (var node = await NodeProcess.StartAsync(store))
        {
            var write = await ExternalTool.RunAsync("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", source, node.Url(1)]);
            Assert.True(write.ExitCode == 0, write.All);

            // A plain write (no FUA, no SYNCHRONIZE CACHE from qemu-io's "write" itself) is acknowledged, then the node is killed.
            var pattern = await ExternalTool.RunAsync("qemu-io", ["-f", "raw", "-c", "write -P 0x5a 16M 1M", node.Url(1)]);
            Assert.True(pattern.ExitCode == 0, pattern.All);
            await node.KillAsync();
        }

        await using (var node = await NodeProcess.StartAsync(store))
        {
            var copy = files.Path("copy.raw");
            var read = await ExternalTool.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "raw", node.Url(1), copy]);
            Assert.True(read.ExitCode == 0, read.All);
            var sourceBytes = await File.ReadAllBytesAsync(source);
            var copyBytes = await File.ReadAllBytesAsync(copy);
            Assert.True(sourceBytes.AsSpan().SequenceEqual(copyBytes.AsSpan(0, sourceBytes.Length)), "data written before SIGKILL was lost");
            Assert.False(copyBytes.AsSpan(16 * 1024 * 1024, 1024 * 1024).ContainsAnyExcept((byte)0x5a), "the pattern written before SIGKILL was lost");
        }
    }

    [Fact]
    public async Task SigtermShutsTheNodeDownCleanly()
    {
        using var files = new TemporaryFiles();
        var node = await NodeProcess.StartAsync(files.Directory("store"));
        await using (node)
        {
            Assert.Equal(0, await node.TerminateAsync());
        }
    }
}
