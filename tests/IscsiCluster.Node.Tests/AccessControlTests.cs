using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>ACL, then CHAP, then mutual CHAP, in the order tgt administrators know, configured with the admin command.</summary>
public sealed class AccessControlTests
{
    private static readonly Dictionary<string, string> WrongTargetSecret = new()
    {
        ["LIBISCSI_CHAP_TARGET_USERNAME"] = "clyde",
        ["LIBISCSI_CHAP_TARGET_PASSWORD"] = "not-the-target-secret",
    };

    private static readonly Dictionary<string, string> RightTargetSecret = new()
    {
        ["LIBISCSI_CHAP_TARGET_USERNAME"] = "clyde",
        ["LIBISCSI_CHAP_TARGET_PASSWORD"] = "target-secret-1",
    };

    [Fact]
    public async Task LoginsFromLoopbackFollowTheAclThenChapThenMutualChap()
    {
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await AdminCli.MustRunAsync(socket, $"--lld iscsi --op new --mode target --tid 1 -T {TestNode.TargetName}");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 --bsopts size=8M");

        var beforeAcl = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op bind --mode target --tid 1 -I 127.0.0.1");
        var afterAcl = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);

        await AdminCli.MustRunAsync(socket, "--lld iscsi --op new --mode account --user christina --password 123456secret");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op bind --mode account --tid 1 --user christina");
        var noCredentials = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);
        var wrongPassword = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1, "christina", "not-the-secret")]);
        var rightPassword = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1, "christina", "123456secret")]);

        await AdminCli.MustRunAsync(socket, "--lld iscsi --op new --mode account --user clyde --password target-secret-1");
        await AdminCli.MustRunAsync(socket, "--lld iscsi --op bind --mode account --tid 1 --user clyde --outgoing");
        var mutualWrong = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1, "christina", "123456secret")], WrongTargetSecret);
        var mutualRight = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1, "christina", "123456secret")], RightTargetSecret);

        Assert.NotEqual(0, beforeAcl.ExitCode);
        Assert.Contains("authorization", beforeAcl.All, StringComparison.OrdinalIgnoreCase);
        Assert.True(afterAcl.ExitCode == 0, afterAcl.All);
        Assert.NotEqual(0, noCredentials.ExitCode);
        Assert.NotEqual(0, wrongPassword.ExitCode);
        Assert.Contains("Authentication failure", wrongPassword.All, StringComparison.OrdinalIgnoreCase);
        Assert.True(rightPassword.ExitCode == 0, rightPassword.All);
        Assert.NotEqual(0, mutualWrong.ExitCode);
        Assert.True(mutualRight.ExitCode == 0, mutualRight.All);
    }

    [Fact]
    public async Task SendTargetsListsOnlyTargetsTheInitiatorMayLogInTo()
    {
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await AdminCli.MustRunAsync(socket, "--op new --mode target --tid 1 -T iqn.2026-11.io.iscsicluster.test:open");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 1 -I 127.0.0.0/8");
        await AdminCli.MustRunAsync(socket, "--op new --mode target --tid 2 -T iqn.2026-11.io.iscsicluster.test:elsewhere");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 2 -I 192.0.2.0/24");
        await AdminCli.MustRunAsync(socket, "--op new --mode target --tid 3 -T iqn.2026-11.io.iscsicluster.test:offline");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 3 -I ALL");
        await AdminCli.MustRunAsync(socket, "--op update --mode target --tid 3 --name state --value offline");

        var discovery = await ExternalTool.RunAsync("iscsi-ls", [$"iscsi://{node.Portal.Address}:{node.Portal.Port}"]);
        var offlineLogin = await ExternalTool.RunAsync("iscsi-inq", [$"iscsi://{node.Portal.Address}:{node.Portal.Port}/iqn.2026-11.io.iscsicluster.test:offline/0"]);

        Assert.True(discovery.ExitCode == 0, discovery.All);
        Assert.Contains("iqn.2026-11.io.iscsicluster.test:open", discovery.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere", discovery.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("offline", discovery.Output, StringComparison.Ordinal);
        Assert.NotEqual(0, offlineLogin.ExitCode);
    }

    [Fact]
    public async Task DiscoveryNeedsChapOnceADiscoveryAccountIsBound()
    {
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await AdminCli.MustRunAsync(socket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 1 -I ALL");
        await AdminCli.MustRunAsync(socket, "--op new --mode account --user finder --password discovery-secret");
        await AdminCli.MustRunAsync(socket, "--op bind --mode account --user finder");
        var portal = $"{node.Portal.Address}:{node.Portal.Port}";

        var anonymous = await ExternalTool.RunAsync("iscsi-ls", [$"iscsi://{portal}"]);
        var authenticated = await ExternalTool.RunAsync("iscsi-ls", [$"iscsi://finder%discovery-secret@{portal}"]);

        Assert.DoesNotContain(TestNode.TargetName, anonymous.Output, StringComparison.Ordinal);
        Assert.True(authenticated.ExitCode == 0, authenticated.All);
        Assert.Contains(TestNode.TargetName, authenticated.Output, StringComparison.Ordinal);
    }
}
