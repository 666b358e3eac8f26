using System.Text.RegularExpressions;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Transport;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>Configuration changes while an initiator is logged in: what needs --force, what the session is told.</summary>
public sealed partial class SessionTests
{
    // The target asks a session to log out and waits this long before it ends it.
    private const string ShortLogoutGrace = "iscsi { logout-grace-period = 2s }";

    [Fact]
    public async Task DeletingATargetWithALoggedInSessionNeedsForceAndEndsTheSession()
    {
        await using var node = await TestNode.StartEmptyAsync(extraConfig: ShortLogoutGrace);
        var socket = node.AdminSocket;
        await ConfigureAsync(socket);
        await using var session = await HeldSession.OpenAsync(node.Url(1));

        var refused = await AdminCli.RunAsync(socket, "--op", "delete", "--mode", "target", "--tid", "1");
        var forced = await AdminCli.RunAsync(socket, "--op", "delete", "--mode", "target", "--tid", "1", "--force");
        var show = await AdminCli.MustRunAsync(socket, "--op show --mode target");

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("this target is still active", refused.Error, StringComparison.Ordinal);
        Assert.True(forced.ExitCode == 0, forced.All);
        Assert.DoesNotContain(TestNode.TargetName, show, StringComparison.Ordinal);
        Assert.False(await ReadSucceedsEventuallyFailsAsync(session), $"the session still reads from a deleted target:\n{session.Output}");
    }

    [Fact]
    public async Task ShowListsALoggedInSessionAndSessionDeleteEndsIt()
    {
        await using var node = await TestNode.StartEmptyAsync(extraConfig: ShortLogoutGrace);
        var socket = node.AdminSocket;
        await ConfigureAsync(socket);
        await using var session = await HeldSession.OpenAsync(node.Url(1));

        var show = await AdminCli.MustRunAsync(socket, "--op show --mode target --tid 1");
        var nexus = NexusLine().Match(show);
        Assert.True(nexus.Success, show);
        Assert.Contains("Initiator: iqn.", show, StringComparison.Ordinal);
        var sid = nexus.Groups[1].Value;

        var missing = await AdminCli.RunAsync(socket, "--op", "delete", "--mode", "session", "--tid", "1", "--sid", "999999");
        await AdminCli.MustRunAsync(socket, $"--op delete --mode session --tid 1 --sid {sid}");

        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("can't find the session", missing.Error, StringComparison.Ordinal);
        Assert.True(await WaitUntilAsync(async () => !NexusLine().IsMatch(await AdminCli.MustRunAsync(socket, "--op show --mode target --tid 1"))),
            "the deleted session is still listed");
    }

    [Fact]
    public async Task ALunAddedWhileASessionIsLoggedInIsServedAtOnce()
    {
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await ConfigureAsync(socket);
        await using var session = await HeldSession.OpenAsync(node.Url(1));

        await AdminCli.MustRunAsync(socket, "--op new --mode logicalunit --tid 1 --lun 2 --bsopts size=4M");
        var listing = await ExternalTool.RunAsync("iscsi-ls", ["-s", $"iscsi://{node.Portal.Address}:{node.Portal.Port}"]);
        await AdminCli.MustRunAsync(socket, "--op delete --mode logicalunit --tid 1 --lun 2");
        var afterDelete = await ExternalTool.RunAsync("iscsi-ls", ["-s", $"iscsi://{node.Portal.Address}:{node.Portal.Port}"]);

        Assert.True(listing.ExitCode == 0, listing.All);
        Assert.Matches(@"Lun:2\s+Type:DIRECT_ACCESS", listing.Output);
        Assert.DoesNotMatch(@"Lun:2\s", afterDelete.Output);
        Assert.True(await session.ReadSucceedsAsync(), $"the held session stopped working on LUN 1:\n{session.Output}");
    }

    [Fact]
    public async Task StatCountsTheReadsOfALoggedInSessionByLun()
    {
        await using var node = await TestNode.StartEmptyAsync();
        var socket = node.AdminSocket;
        await ConfigureAsync(socket);
        await using var session = await HeldSession.OpenAsync(node.Url(1));
        Assert.True(await session.ReadSucceedsAsync(), session.Output);
        var transport = new SocketAdminTransport(AdminEndpoint.UnixSocket(socket));

        var stat = await transport.SendAsync(new AdmRequest(AdmMode.LogicalUnit, AdmOp.Stat) { Tid = 1, Lun = 1 }, null, CancellationToken.None);
        var text = await AdminCli.MustRunAsync(socket, "--op stat --mode target --tid 1");

        Assert.True(stat.Succeeded, stat.ToString());
        var line = Assert.Single(stat.Payload?.Statistics ?? []);
        Assert.Equal((1, 1UL), (line.Tid, line.Lun));
        Assert.True(line.ReadDoneCommands >= 2 && line.ReadDoneBytes >= 1024, line.ToString());
        Assert.StartsWith("tgt lun sid", text, StringComparison.Ordinal);
        Assert.Matches(@"
\s+1\s+1\s+\d+", text);
    }

    private static async Task ConfigureAsync(string socket)
    {
        await AdminCli.MustRunAsync(socket, $"--op new --mode target --tid 1 -T {TestNode.TargetName}");
        await AdminCli.MustRunAsync(socket, "--op new --mode logicalunit --tid 1 --lun 1 --bsopts size=8M");
        await AdminCli.MustRunAsync(socket, "--op bind --mode target --tid 1 -I ALL");
    }

    /// <summary>
    /// Reads until one fails or goes unanswered (the session was ended: libiscsi then retries a login the
    /// deleted target refuses), or a minute passes; true when every read succeeded.
    /// </summary>
    private static async Task<bool> ReadSucceedsEventuallyFailsAsync(HeldSession session) =>
        !await WaitUntilAsync(async () => !await session.ReadSucceedsAsync(UnansweredRead));

    private static readonly TimeSpan UnansweredRead = TimeSpan.FromSeconds(5);

    private static async Task<bool> WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(250);
        }

        return false;
    }

    [GeneratedRegex(@"I_T nexus: (\d+)")]
    private static partial Regex NexusLine();
}
