using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// A cluster of nodes started in this process, node N on 127.0.0.N (every 127/8 address is local on Linux) with free
/// ports for its portal, Akka remoting and data connections, each on its own temporary directory.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly NodeHost?[] _hosts;
    private readonly string[] _configs;

    private TestCluster(string directory, string[] configs)
    {
        Directory = directory;
        _configs = configs;
        _hosts = new NodeHost?[configs.Length];
    }

    /// <summary>The cluster's temporary directory: node-N/ below it holds each node's data and admin socket.</summary>
    public string Directory { get; }

    public int Count => _hosts.Length;

    /// <summary>Node <paramref name="number"/> (1-based), which must be running.</summary>
    public NodeHost Node(int number) => _hosts[number - 1] ?? throw new InvalidOperationException($"node-{number} is stopped");

    public bool IsRunning(int number) => _hosts[number - 1] is not null;

    public string AdminSocket(int number) => TestNode.SocketPath(DataDirectory(number));

    /// <summary>The libiscsi URL of a LUN of the test target through node <paramref name="number"/>'s portal.</summary>
    public string Url(int number, int lun)
    {
        var portal = Node(number).PortalEndPoint;
        return $"iscsi://{portal.Address}:{portal.Port}/{TestNode.TargetName}/{lun}";
    }

    /// <summary>Starts <paramref name="count"/> nodes whose one seeded target has the given body, and waits until every node serves.</summary>
    public static async Task<TestCluster> StartAsync(int count = 3, string targetBody = TestNode.DefaultTarget)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("iscsi-cluster-test-").FullName;
        var addresses = Enumerable.Range(1, count).Select(n => IPAddress.Parse($"127.0.0.{n}")).ToArray();
        var ports = addresses.Select(a => (Portal: FreePort(a), Remoting: FreePort(a), Data: FreePort(a))).ToArray();
        var nodes = string.Join('\n', Enumerable.Range(0, count).Select(i =>
            $"{{ number = {i + 1}, address = \"{addresses[i]}\", portal-port = {ports[i].Portal}, remoting-port = {ports[i].Remoting}, data-port = {ports[i].Data} }}"));
        var configs = Enumerable.Range(1, count).Select(n => $$"""
            iscsi-cluster {
              node { number = {{n}}, name = "node-{{n}}", data-dir = "{{Path.Combine(directory, $"node-{n}")}}" }
              cluster { nodes = [
            {{nodes}}
              ] }
              targets = [ { name = "{{TestNode.TargetName}}"
            {{targetBody}}
              } ]
            }
            """).ToArray();
        var cluster = new TestCluster(directory, configs);
        try
        {
            await Task.WhenAll(Enumerable.Range(1, count).Select(cluster.StartNodeAsync));
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }

        return cluster;
    }

    /// <summary>Starts node <paramref name="number"/> again (on its data directory) and waits until it serves.</summary>
    public async Task StartNodeAsync(int number)
    {
        var dataDirectory = DataDirectory(number);
        System.IO.Directory.CreateDirectory(dataDirectory);
        var config = NodeHost.LoadConfig(Config.Config.ParseString(_configs[number - 1], $"node-{number}.conf"));
        var host = await NodeHost.StartAsync(config, new NodeStartOptions(AdminSocket: AdminSocket(number)), NullLoggerFactory.Instance, CancellationToken.None);
        _hosts[number - 1] = host;
        await host.WaitReadyAsync(new CancellationTokenSource(TimeSpan.FromSeconds(90)).Token);
    }

    /// <summary>Stops node <paramref name="number"/> the way SIGTERM does (it leaves the cluster and hands its LUNs over).</summary>
    public async Task StopNodeAsync(int number)
    {
        if (_hosts[number - 1] is { } host)
        {
            _hosts[number - 1] = null;
            await host.StopAsync();
        }
    }

    private string DataDirectory(int number) => Path.Combine(Directory, $"node-{number}");

    private static int FreePort(IPAddress address)
    {
        using var listener = new TcpListener(address, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        // Stopped one after the other, the last ones as a minority: each still stops within its shutdown timeout.
        for (var n = _hosts.Length; n >= 1; n--)
        {
            await StopNodeAsync(n);
        }

        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
