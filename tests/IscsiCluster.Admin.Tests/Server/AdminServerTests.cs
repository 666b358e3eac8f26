using System.Net;
using System.Net.Sockets;
using System.Text;
using IscsiCluster.Admin.Contracts.Json;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Server;
using IscsiCluster.Admin.Tests.TestSupport;
using IscsiCluster.Admin.Transport;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Admin.Tests.Server;

public sealed class AdminServerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("adm-srv-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static AdminRequestHandler NodeHandler(InMemoryNode node) =>
        AdminServer.Handler((request, _) => Task.FromResult(node.Handle(request)));

    [Fact]
    public async Task TheCommandLineTalksToANodeOverAUnixSocket()
    {
        var node = new InMemoryNode();
        var socket = Path.Combine(_directory, "admin.sock");
        await using var server = AdminServer.ListenUnix(socket, NodeHandler(node), NullLogger.Instance);
        var runner = new CommandRunner(new SocketAdminTransport(AdminEndpoint.UnixSocket(socket)));

        Assert.Equal(0, await runner.RunLineAsync("--lld iscsi --op new --mode target --tid 1 -T iqn.2013-05.com.magedu:tsan.disk1"));
        Assert.Equal(0, await runner.RunLineAsync("-L iscsi -o show -m target"));
        Assert.StartsWith("Target 1: iqn.2013-05.com.magedu:tsan.disk1\n", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(22, await runner.RunLineAsync("--op delete --mode target --tid 5"));
        Assert.Equal("iscsi-cluster-adm: can't find the target: tid 5\n", runner.Stderr);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task TheSocketFileIsReadableAndWritableByItsOwnerOnly()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        await using var server = AdminServer.ListenUnix(socket, NodeHandler(new InMemoryNode()), NullLogger.Instance);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(socket));
    }

    [Fact]
    public async Task AStaleSocketFileIsReplacedAndRemovedOnDispose()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        await File.WriteAllTextAsync(socket, "stale");
        var server = AdminServer.ListenUnix(socket, NodeHandler(new InMemoryNode()), NullLogger.Instance);
        await server.DisposeAsync();

        Assert.False(File.Exists(socket));
    }

    [Fact]
    public async Task ASocketAnotherServerServesIsNotTakenOver()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        await using var first = AdminServer.ListenUnix(socket, NodeHandler(new InMemoryNode()), NullLogger.Instance);

        Assert.Throws<IOException>(() => AdminServer.ListenUnix(socket, NodeHandler(new InMemoryNode()), NullLogger.Instance));
        Assert.True((await new SocketAdminTransport(AdminEndpoint.UnixSocket(socket)).SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show), null, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task ProgressLinesReachTheClientBeforeTheResponse()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        AdminRequestHandler handler = async (request, progress, cancellationToken) =>
        {
            await progress.ReportAsync(new AdmProgress("importing /x", 1, 4), cancellationToken);
            await progress.ReportAsync(new AdmProgress("importing /x", 4, 4), cancellationToken);
            return AdmResponse.Ok();
        };
        await using var server = AdminServer.ListenUnix(socket, handler, NullLogger.Instance);
        var seen = new List<AdmProgress>();

        var response = await new SocketAdminTransport(AdminEndpoint.UnixSocket(socket))
            .SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show), new SynchronousProgress(seen.Add), CancellationToken.None);

        Assert.True(response.Succeeded);
        Assert.Equal([1L, 4L], seen.Select(p => p.DoneBytes));
    }

    [Fact]
    public async Task AFailingHandlerAnswersUnknownErrorAndTheServerGoesOn()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        var calls = 0;
        AdminRequestHandler handler = (_, _, _) => ++calls == 1 ? throw new InvalidOperationException("boom") : Task.FromResult(AdmResponse.Ok());
        await using var server = AdminServer.ListenUnix(socket, handler, NullLogger.Instance);
        var transport = new SocketAdminTransport(AdminEndpoint.UnixSocket(socket));

        Assert.Equal(AdmError.UnknownError, (await transport.SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show), null, CancellationToken.None)).Error);
        Assert.True((await transport.SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show), null, CancellationToken.None)).Succeeded);
    }

    [Fact]
    public async Task AMalformedRequestIsAnsweredAsInvalid()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        await using var server = AdminServer.ListenUnix(socket, NodeHandler(new InMemoryNode()), NullLogger.Instance);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
        await using var stream = new NetworkStream(client);

        await stream.WriteAsync(Encoding.UTF8.GetBytes("{not json\n"));
        var line = await JsonLines.ReadLineAsync(stream, JsonLines.MaxResponseBytes, CancellationToken.None);

        Assert.True(AdminJson.TryDeserializeFrame(line!, out var frame));
        Assert.Equal(AdmError.InvalidRequest, frame.Response!.Error);
    }

    [Fact]
    public async Task ARequestLineLongerThanTheLimitIsRefusedBeforeItIsBuffered()
    {
        var socket = Path.Combine(_directory, "admin.sock");
        var handled = false;
        AdminRequestHandler handler = (_, _, _) =>
        {
            handled = true;
            return Task.FromResult(AdmResponse.Ok());
        };
        await using var server = AdminServer.ListenUnix(socket, handler, NullLogger.Instance);
        using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await client.ConnectAsync(new UnixDomainSocketEndPoint(socket));
        await using var stream = new NetworkStream(client);

        try
        {
            await stream.WriteAsync(new byte[JsonLines.MaxRequestBytes + 10]);
        }
        catch (IOException)
        {
            // The server may close before everything is written.
        }

        Assert.Null(await JsonLines.ReadLineAsync(stream, JsonLines.MaxResponseBytes, CancellationToken.None));
        Assert.False(handled);
    }

    [Fact]
    public async Task TcpServesARequestWithTheRightToken()
    {
        var node = new InMemoryNode();
        await using var server = AdminServer.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), "s3cret-token", NodeHandler(node), NullLogger.Instance);
        var port = ((IPEndPoint)server.LocalEndPoint).Port;
        var transport = new SocketAdminTransport(AdminEndpoint.Tcp("127.0.0.1", port, "s3cret-token"));

        var response = await transport.SendAsync(new AdmRequest(AdmMode.Target, AdmOp.New) { Tid = 1, TargetName = "iqn.2024-01.x:y" }, null, CancellationToken.None);

        Assert.True(response.Succeeded);
        Assert.NotNull(node.Configuration.FindTarget(1));
        Assert.Null(node.Received.Single().Token);
    }

    [Theory]
    [InlineData("wrong-token")]
    [InlineData(null)]
    [InlineData("s3cret-token-longer")]
    public async Task TcpRefusesAMissingOrWrongToken(string? token)
    {
        var node = new InMemoryNode();
        await using var server = AdminServer.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), "s3cret-token", NodeHandler(node), NullLogger.Instance);
        var port = ((IPEndPoint)server.LocalEndPoint).Port;
        var transport = new SocketAdminTransport(AdminEndpoint.Tcp("127.0.0.1", port, token));

        var response = await transport.SendAsync(new AdmRequest(AdmMode.Target, AdmOp.New) { Tid = 1, TargetName = "iqn.2024-01.x:y" }, null, CancellationToken.None);

        Assert.Equal(AdmError.PermissionDenied, response.Error);
        Assert.Empty(node.Received);
    }

    [Fact]
    public async Task RequestsAreLoggedWithoutTheirSecrets()
    {
        var logs = new CapturingLoggerFactory();
        var logger = logs.CreateLogger("admin");
        var socket = Path.Combine(_directory, "admin.sock");
        await using (var server = AdminServer.ListenUnix(socket, NodeHandler(new InMemoryNode()), logger))
        {
            var runner = new CommandRunner(new SocketAdminTransport(AdminEndpoint.UnixSocket(socket)));
            Assert.Equal(0, await runner.RunLineAsync("-m account -o new -u christina -p Sup3rSecret"));
        }

        Assert.Contains(logs.Texts, line => line.Contains("christina", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Texts, line => line.Contains("Sup3rSecret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARefusedTokenIsLogged()
    {
        var logs = new CapturingLoggerFactory();
        var logger = logs.CreateLogger("admin");
        await using (var server = AdminServer.ListenTcp(new IPEndPoint(IPAddress.Loopback, 0), "right", NodeHandler(new InMemoryNode()), logger))
        {
            var port = ((IPEndPoint)server.LocalEndPoint).Port;
            await new SocketAdminTransport(AdminEndpoint.Tcp("127.0.0.1", port, "guess-7f3a")).SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show), null, CancellationToken.None);
        }

        Assert.Contains(logs.Texts, line => line.StartsWith("Warning 4002 Management request refused from 127.0.0.1:", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Texts, line => line.Contains("guess-7f3a", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoNodeMeansNodeUnreachable()
    {
        var transport = new SocketAdminTransport(AdminEndpoint.UnixSocket(Path.Combine(_directory, "nobody.sock")));
        var runner = new CommandRunner(transport);

        Assert.Equal(111, await runner.RunLineAsync("--op show --mode target"));
        Assert.StartsWith("iscsi-cluster-adm: can't connect to the node's management endpoint", runner.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("there is no socket at " + Path.Combine(_directory, "nobody.sock") + "\n", runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASocketNobodyListensOnMeansNodeUnreachable()
    {
        var path = Path.Combine(_directory, "dead.sock");
        using (var dead = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            dead.Bind(new UnixDomainSocketEndPoint(path));
        }

        var response = await new SocketAdminTransport(AdminEndpoint.UnixSocket(path)).SendAsync(new AdmRequest(AdmMode.Target, AdmOp.Show), null, CancellationToken.None);

        Assert.Equal(AdmError.NodeUnreachable, response.Error);
    }

    private sealed class SynchronousProgress(Action<AdmProgress> report) : IProgress<AdmProgress>
    {
        public void Report(AdmProgress value) => report(value);
    }
}
