using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Transport;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>Who may reach the management endpoint, where it is, and what never reaches the log.</summary>
public sealed class ManagementEndpointTests
{
    private const string TcpEndpoint = """admin { tcp { enabled = true, address = "127.0.0.1", port = 0, token = "the-admin-token" } }""";

    [Fact]
    public async Task TheTcpEndpointServesOnlyRequestsCarryingTheToken()
    {
        await using var node = await TestNode.StartEmptyAsync(extraConfig: TcpEndpoint);
        var port = node.Host.AdminTcpEndPoint!.Port;
        var show = new AdmRequest(AdmMode.Target, AdmOp.Show);

        var wrong = await new SocketAdminTransport(AdminEndpoint.Tcp("127.0.0.1", port, "a-guess")).SendAsync(show, null, CancellationToken.None);
        var none = await new SocketAdminTransport(AdminEndpoint.Tcp("127.0.0.1", port, null)).SendAsync(show, null, CancellationToken.None);
        var right = await new SocketAdminTransport(AdminEndpoint.Tcp("127.0.0.1", port, "the-admin-token")).SendAsync(show, null, CancellationToken.None);

        Assert.Equal(AdmError.PermissionDenied, wrong.Error);
        Assert.Equal(AdmError.PermissionDenied, none.Error);
        Assert.True(right.Succeeded, right.ToString());
    }

    [Fact]
    public async Task ATcpEndpointWithoutATokenIsAConfigurationError()
    {
        var error = await Assert.ThrowsAsync<NodeConfigurationException>(() =>
            TestNode.StartEmptyAsync(extraConfig: """admin { tcp { enabled = true, port = 0 } }"""));

        Assert.Contains("iscsi-cluster.admin.tcp.token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheSocketDefaultsToAdminSockBesideTheDataDirectory()
    {
        var settings = AdminSettings.Create(NodeHost.LoadConfig(Config.Config.Empty));

        Assert.Equal("/srv/iscsi/.run/admin.sock", settings.ResolveSocketPath("/srv/iscsi/.run/data"));
        Assert.Null(settings.TcpEndPoint);
    }

    [Fact]
    public async Task ChapSecretsNeverReachTheLogAndShowHidesThemUnlessAsked()
    {
        var log = new CapturingLoggerFactory();
        await using var node = await TestNode.StartEmptyAsync(loggerFactory: log);
        var socket = node.AdminSocket;
        await AdminCli.MustRunAsync(socket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");
        await AdminCli.MustRunAsync(socket, "--op new --mode account --user christina --password never-logged-1");
        await AdminCli.MustRunAsync(socket, "--op bind --mode account --tid 1 --user christina");
        var refused = await AdminCli.RunAsync(socket, "--op", "new", "--mode", "account", "--user", "christina", "--password", "never-logged-2");

        var hidden = await AdminCli.MustRunAsync(socket, "--op show --mode account");
        var shown = await AdminCli.MustRunAsync(socket, "--op show --mode account --params show-secrets=1");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.DoesNotContain("never-logged", hidden, StringComparison.Ordinal);
        Assert.Contains("never-logged-1", shown, StringComparison.Ordinal);
        Assert.Contains(log.Texts, line => line.Contains("christina", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Texts, line => line.Contains("never-logged", StringComparison.Ordinal));
    }
}
