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

    // The first six accepts fail, each followed by a pause: 10, 20, 40, 80, 160 and 320 ms. Less
    // a tenth for timers that fire at the edge of their tick.
    private const int Failures = 6;
    private static readonly TimeSpan Pauses = TimeSpan.FromMilliseconds((10 + 20 + 40 + 80 + 160 + 320) * 0.9);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

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
                clock.Stop();
                served.TrySetResult();
                return Task.CompletedTask;
            },
            new Logger<SocketListener>(logs),
            (socket, cancellationToken) =>
            {
                clock.Start();
                if (Interlocked.Increment(ref failed) <= Failures)
                {
                    return ValueTask.FromException<Socket>(new SocketException((int)SocketError.TooManyOpenSockets));
                }

                return socket.AcceptAsync(cancellationToken);
            });
        listener.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(listener.LocalEndPoint);

        await served.Task.WaitAsync(Patience);

        // Without pauses the six failures and the accept would take microseconds; with them the
        // connection waits at least their sum (more on a loaded machine, never less).
        Console.WriteLine($"{Failures} failed accepts, then served after {clock.Elapsed.TotalMilliseconds:F0} ms");
        Assert.True(clock.Elapsed >= Pauses, $"served after {clock.Elapsed.TotalMilliseconds} ms: the loop did not pause between failures");
        Assert.Single(logs.WithEvent(OutOfDescriptorsEvent));
        Assert.Contains($"after {Failures} failed attempts", Assert.Single(logs.WithEvent(AcceptingAgainEvent)).Message);
        Assert.Empty(logs.WithEvent(AcceptFailedEvent));
    }
}
