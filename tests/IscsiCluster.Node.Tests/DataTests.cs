using System.Security.Cryptography;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>Data written through QEMU's iSCSI initiator comes back byte for byte.</summary>
public sealed class DataTests
{
    [Fact]
    public async Task QemuImgConvertInAndOutIsByteIdentical()
    {
        await using var node = await TestNode.StartAsync();
        await RoundTripAsync(["-O", "raw", node.Url(1)], ["-f", "raw", node.Url(1)]);
    }

    [Fact]
    public async Task QemuImgConvertWithHeaderAndDataDigestsIsByteIdentical()
    {
        // QEMU's iscsi:// URL parser crashes on a query string (qemu-img 7.2 segfaults before connecting),
        // so the digests are asked for through --image-opts, which is the same libiscsi setting.
        await using var node = await TestNode.StartAsync();
        var options = $"driver=iscsi,transport=tcp,portal={node.Portal},target={TestNode.TargetName},lun=1,header-digest=crc32c";
        await RoundTripAsync(["--target-image-opts", options], ["--image-opts", options]);
    }

    private static async Task RoundTripAsync(string[] writeTarget, string[] readSource)
    {
        using var files = new TemporaryFiles();
        var source = files.Random("source.raw", 24 * 1024 * 1024);
        var copy = files.Path("copy.raw");

        var write = await ExternalTool.RunAsync("qemu-img", ["convert", "-n", "-f", "raw", source, .. writeTarget]);
        Assert.True(write.ExitCode == 0, write.All);
        var read = await ExternalTool.RunAsync("qemu-img", ["convert", .. readSource, "-O", "raw", copy]);
        Assert.True(read.ExitCode == 0, read.All);

        // The LUN is 64 MiB: the copy holds the source, then zeros (thin: never written).
        var sourceBytes = await File.ReadAllBytesAsync(source);
        var copyBytes = await File.ReadAllBytesAsync(copy);
        Assert.Equal(64 * 1024 * 1024, copyBytes.Length);
        Assert.True(sourceBytes.AsSpan().SequenceEqual(copyBytes.AsSpan(0, sourceBytes.Length)), "the data read back differs from the data written");
        Assert.False(copyBytes.AsSpan(sourceBytes.Length).ContainsAnyExcept((byte)0), "blocks never written must read as zeros");
    }

    [Fact]
    public async Task DataSurvivesANodeRestartOnTheSameStore()
    {
        using var files = new TemporaryFiles();
        var dataDirectory = files.Directory("store");
        var source = files.Random("source.raw", 4 * 1024 * 1024);
        await using (var node = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            var write = await ExternalTool.RunAsync("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", source, node.Url(1)]);
            Assert.True(write.ExitCode == 0, write.All);
        }

        await using (var node = await TestNode.StartAsync(dataDirectory: dataDirectory))
        {
            var copy = files.Path("copy.raw");
            var read = await ExternalTool.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "raw", node.Url(1), copy]);
            Assert.True(read.ExitCode == 0, read.All);
            var expected = SHA256.HashData(await File.ReadAllBytesAsync(source));
            var actual = SHA256.HashData((await File.ReadAllBytesAsync(copy)).AsSpan(0, 4 * 1024 * 1024));
            Assert.Equal(expected, actual);
        }
    }
}
