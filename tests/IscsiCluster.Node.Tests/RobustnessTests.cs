using System.Buffers.Binary;
using System.Net.Sockets;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>Bad input stays local: garbage on one connection never disturbs the node or other sessions.</summary>
public sealed class RobustnessTests
{
    [Fact]
    public async Task GarbageOnManyConnectionsLeavesTheNodeServing()
    {
        await using var node = await TestNode.StartAsync();
        var random = new Random(1234);

        for (var round = 0; round < 40; round++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(node.Portal);
            var stream = client.GetStream();
            var bytes = new byte[random.Next(1, 600)];
            random.NextBytes(bytes);
            if (round % 4 == 0)
            {
                // A plausible Login Request header (opcode 0x43, immediate) with random fields after it.
                bytes = new byte[48 + random.Next(0, 200)];
                random.NextBytes(bytes);
                bytes[0] = 0x43;
            }

            try
            {
                await stream.WriteAsync(bytes);
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The node may already have closed this connection: that is an allowed answer.
            }
        }

        var result = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);
        Assert.True(result.ExitCode == 0, result.All);
    }

    [Fact]
    public async Task ALoginPduAnnouncingAHugeDataSegmentIsRefusedWithoutWaitingForIt()
    {
        await using var node = await TestNode.StartAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(node.Portal);
        var stream = client.GetStream();

        var header = new byte[48];
        header[0] = 0x43; // Login Request, immediate
        header[1] = 0x87; // T bit, CSG 1 (operational), NSG 3 (full feature)
        BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(4), 0x00FF_FFFF); // TotalAHSLength 0, DataSegmentLength 16 MiB - 1
        await stream.WriteAsync(header);

        // The target must answer (login reject) or close the connection, not wait for 16 MiB.
        var buffer = new byte[48];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var read = 0;
        try
        {
            read = await stream.ReadAsync(buffer, timeout.Token);
        }
        catch (IOException)
        {
            // Reset by the target: the connection was dropped.
        }

        Assert.True(read == 0 || buffer[0] == 0x23, $"expected a Login Response or a closed connection, got opcode 0x{buffer[0]:x2}");
        var inquiry = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);
        Assert.True(inquiry.ExitCode == 0, inquiry.All);
    }
}
