using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Network;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Tests.Network;

/// <summary>
/// The accept loop out of file descriptors: it pauses (growing to a second) instead of spinning,
/// says so once, and says once that it accepts again. The accept call is the fault seam, so the
/// test runs the process out of nothing.
/// </summary>
public sealed class AcceptBackoffTests
{
    private const int OutOfDescriptorsEvent = 1007;
    private const int AcceptingAgainEvent = 1008;
    private const int AcceptFailedEvent = 1004;

    private static readonly TimeSpan Starvation = TimeSpan.FromMilliseconds(700);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OutOfFileDescriptorsTheAcceptLoopBacksOffLogsOnceAndRecovers()
    {
        var logs = new CapturingLoggerFactory();
        var failed = 0;
        var clock = new Stopwatch();
        var served = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var listener = new SocketListener(
            new IPEndPoint(IPAddress.Loopback, 0),
            (_, _) =>
            {
                served.TrySetResult();
                return Task.CompletedTask;
            },
            new Logger<SocketListener>(logs),
            (socket, cancellationToken) =>
            {
                clock.Start();
                if (clock.Elapsed < Starvation)
                {
                    Interlocked.Increment(ref failed);
                    return ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets));
                }

                return socket.AcceptAsync(cancellationToken);
            });
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoint);

        await served.Task.WaitAsync(Patience);

        // Without a pause the loop would have failed hundreds of thousands of times in 0.7 s;
        // pausing 10, 20, 40 ... ms it fails about seven times.
        var failures = Volatile.Read(ref failed);
        Console.WriteLine($"{failures} failed accepts during {Starvation.TotalMilliseconds} ms out of descriptors");
        Assert.InRange(failures, 2, 20);
        Assert.Single(logs.WithEvent(OutOfDescriptorsEvent));
        Assert.Contains($"after {failures} failed attempts", Assert.Single(logs.WithEvent(AcceptingAgainEvent)).Message);
        Assert.Empty(logs.WithEvent(AcceptFailedEvent));
    }
}
