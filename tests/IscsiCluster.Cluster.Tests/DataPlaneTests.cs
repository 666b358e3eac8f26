using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using IscsiCluster.Cluster.Transport;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Cluster.Tests;

/// <summary>Three nodes' data connections on this host's loopback, on free ports.</summary>
public sealed class DataPlaneTests : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly Dictionary<int, IPEndPoint> _endPoints = Enumerable.Range(1, 3).ToDictionary(n => n, _ => FreeEndPoint());
    private readonly Dictionary<int, (DataPlane Plane, Recorder Recorder)> _nodes = [];

    [Fact]
    public async Task EveryNodeReachesEveryOtherAndFramesArriveIntactAndInOrder()
    {
        await StartAsync(1, 2, 3);
        await WaitForAsync(() => AllConnected(1, 2, 3));

        foreach (var from in _nodes.Keys)
        {
            foreach (var to in _nodes.Keys.Where(n => n != from))
            {
                for (var i = 0; i < 50; i++)
                {
                    Assert.True(_nodes[from].Plane.TrySend(to, new BytesFrame(16, Message(from, to, i))));
                }
            }
        }

        foreach (var to in _nodes.Keys)
        {
            foreach (var from in _nodes.Keys.Where(n => n != to))
            {
                await WaitForAsync(() => _nodes[to].Recorder.From(from).Count == 50);
                Assert.Equal(Enumerable.Range(0, 50).Select(i => Message(from, to, i)), _nodes[to].Recorder.From(from));
            }
        }
    }

    [Fact]
    public async Task ALargeFrameArrivesWhole()
    {
        await StartAsync(1, 2);
        await WaitForAsync(() => AllConnected(1, 2));
        var data = new byte[4 * 1024 * 1024 + 17];
        new Random(5).NextBytes(data);

        Assert.True(_nodes[1].Plane.TrySend(2, new BytesFrame(20, data)));

        await WaitForAsync(() => _nodes[2].Recorder.From(1).Count == 1);
        Assert.Equal(data, _nodes[2].Recorder.From(1)[0]);
    }

    [Fact]
    public async Task ANodeThatRestartsIsCalledAgainAndLinksComeBackUp()
    {
        await StartAsync(1, 2, 3);
        await WaitForAsync(() => AllConnected(1, 2, 3));

        await StopAsync(1);
        await WaitForAsync(() => !_nodes[2].Plane.IsConnected(1) && !_nodes[3].Plane.IsConnected(1));
        Assert.False(_nodes[2].Plane.TrySend(1, new BytesFrame(16, [1])));
        Assert.Contains(1, _nodes[2].Recorder.Down);

        await StartAsync(1);
        await WaitForAsync(() => AllConnected(1, 2, 3));
        Assert.True(_nodes[3].Plane.TrySend(1, new BytesFrame(16, [7])));
        await WaitForAsync(() => _nodes[1].Recorder.From(3).Count == 1);
    }

    [Fact]
    public async Task ANodeOfAnotherClusterIsRefused()
    {
        await StartAsync(1);
        var stranger = new DataPlane(new DataPlaneSettings(2, "other-cluster", _endPoints[2], _endPoints), new Recorder(), NullLoggerFactory.Instance);
        stranger.Start();
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            Assert.False(_nodes[1].Plane.IsConnected(2));
            Assert.False(stranger.IsConnected(1));
        }
        finally
        {
            await stranger.DisposeAsync();
        }
    }

    [Fact]
    public async Task TransportKindsCannotBeSentAndUnknownPeersAreUnreachable()
    {
        await StartAsync(1);
        Assert.Throws<ArgumentException>(() => _nodes[1].Plane.TrySend(2, new BytesFrame(0, [])));
        Assert.False(_nodes[1].Plane.TrySend(9, new BytesFrame(16, [])));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Keys.ToList())
        {
            await StopAsync(node);
        }
    }

    private Task StartAsync(params int[] numbers)
    {
        foreach (var number in numbers)
        {
            var peers = _endPoints.Where(e => e.Key != number).ToDictionary();
            var recorder = new Recorder();
            var plane = new DataPlane(new DataPlaneSettings(number, "test-cluster", _endPoints[number], peers), recorder, NullLoggerFactory.Instance);
            plane.Start();
            _nodes[number] = (plane, recorder);
        }

        return Task.CompletedTask;
    }

    private async Task StopAsync(int number)
    {
        if (_nodes.Remove(number, out var node))
        {
            await node.Plane.DisposeAsync();
        }
    }

    private bool AllConnected(params int[] numbers) =>
        numbers.All(a => numbers.Where(b => b != a).All(b => _nodes[a].Plane.IsConnected(b)));

    private static byte[] Message(int from, int to, int sequence) => [(byte)from, (byte)to, (byte)sequence, .. new byte[sequence]];

    private static IPEndPoint FreeEndPoint()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return (IPEndPoint)socket.LocalEndPoint!;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }

    private sealed class Recorder : IFrameHandler
    {
        private readonly ConcurrentDictionary<int, List<byte[]>> _frames = new();

        public ConcurrentBag<int> Down { get; } = [];

        public IReadOnlyList<byte[]> From(int peer)
        {
            var list = _frames.GetOrAdd(peer, _ => []);
            lock (list)
            {
                return [.. list];
            }
        }

        public void OnLinkUp(int peer)
        {
        }

        public void OnLinkDown(int peer) => Down.Add(peer);

        public void OnFrame(int peer, byte kind, in ReadOnlySequence<byte> payload)
        {
            var list = _frames.GetOrAdd(peer, _ => []);
            lock (list)
            {
                list.Add(payload.ToArray());
            }
        }
    }
}
