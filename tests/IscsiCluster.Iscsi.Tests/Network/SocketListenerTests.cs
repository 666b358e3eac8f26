using System.Net;
using System.Net.Sockets;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Iscsi.Tests.Network;

public sealed class SocketListenerTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ListenerOnPortZeroExposesTheBoundPort()
    {
        await using var listener = new SocketListener(new IPEndPoint(IPAddress.Loopback, 0), (_, _) => Task.CompletedTask, NullLogger<SocketListener>.Instance);
        listener.Start();

        Assert.NotEqual(0, listener.LocalEndPoint.Port);
        Assert.Equal(IPAddress.Loopback, listener.LocalEndPoint.Address);
    }

    [Fact]
    public async Task HandlerEchoesBytesThroughThePipes()
    {
        await using var listener = new SocketListener(new IPEndPoint(IPAddress.Loopback, 0), EchoAsync, NullLogger<SocketListener>.Instance);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoint);
        var stream = client.GetStream();

        await stream.WriteAsync("hello"u8.ToArray());
        var answer = new byte[5];
        await stream.ReadExactlyAsync(answer).AsTask().WaitAsync(Patience);

        Assert.Equal("hello"u8.ToArray(), answer);
    }

    [Fact]
    public async Task AcceptedSocketsHaveNoDelayAndKeepAlive()
    {
        var options = new TaskCompletionSource<(bool NoDelay, bool KeepAlive)>();
        await using var listener = new SocketListener(
            new IPEndPoint(IPAddress.Loopback, 0),
            (connection, _) =>
            {
                options.SetResult((connection.NoDelay, connection.KeepAlive));
                return Task.CompletedTask;
            },
            NullLogger<SocketListener>.Instance);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoint);

        var (noDelay, keepAlive) = await options.Task.WaitAsync(Patience);

        Assert.True(noDelay);
        Assert.True(keepAlive);
    }

    [Fact]
    public async Task StopClosesConnectionsWhoseHandlersIgnoreShutdown()
    {
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = new SocketListener(
            new IPEndPoint(IPAddress.Loopback, 0),
            async (connection, _) =>
            {
                entered.SetResult();
                // Reads until the socket is closed under it.
                while (true)
                {
                    var result = await connection.Input.ReadAsync(CancellationToken.None);
                    connection.Input.AdvanceTo(result.Buffer.End);
                    if (result.IsCompleted)
                    {
                        return;
                    }
                }
            },
            NullLogger<SocketListener>.Instance);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoint);
        await entered.Task.WaitAsync(Patience);

        await listener.StopAsync(TimeSpan.FromMilliseconds(50)).WaitAsync(Patience);

        var read = await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(Patience);
        Assert.Equal(0, read);
        Assert.Equal(0, listener.ConnectionCount);
        await listener.DisposeAsync();
    }

    [Fact]
    public async Task StopRefusesNewConnections()
    {
        var listener = new SocketListener(new IPEndPoint(IPAddress.Loopback, 0), (_, _) => Task.CompletedTask, NullLogger<SocketListener>.Instance);
        listener.Start();
        var endPoint = listener.LocalEndPoint;

        await listener.DisposeAsync();

        using var client = new TcpClient();
        await Assert.ThrowsAnyAsync<SocketException>(() => client.ConnectAsync(endPoint));
    }

    [Fact]
    public async Task ShutdownTokenIsCancelledWhenTheListenerStops()
    {
        var observed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var listener = new SocketListener(
            new IPEndPoint(IPAddress.Loopback, 0),
            async (_, shutdown) =>
            {
                entered.SetResult();
                await Task.Delay(Timeout.Infinite, shutdown).ContinueWith(_ => observed.SetResult(), TaskScheduler.Default);
            },
            NullLogger<SocketListener>.Instance);
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoint);
        await entered.Task.WaitAsync(Patience);

        await listener.StopAsync(Patience);

        Assert.True(observed.Task.IsCompleted);
        await listener.DisposeAsync();
    }

    private static async Task EchoAsync(SocketConnection connection, CancellationToken shutdown)
    {
        while (true)
        {
            var result = await connection.Input.ReadAsync(shutdown);
            foreach (var segment in result.Buffer)
            {
                await connection.Output.WriteAsync(segment, shutdown);
            }

            connection.Input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted)
            {
                return;
            }
        }
    }
}
