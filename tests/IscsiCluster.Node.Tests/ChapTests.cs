using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>One-way and mutual CHAP with libiscsi against accounts from the configuration.</summary>
public sealed class ChapTests
{
    private const string ChapTarget = """
        luns = [ { lun = 1, size = 8M } ]
        initiator-addresses = ["ALL"]
        incoming-accounts = [ { user = "christina", password = "123456secret" } ]
        outgoing-account = { user = "clyde", password = "target-secret-1" }
        """;

    [Fact]
    public async Task TheRightUserAndPasswordLogIn()
    {
        await using var node = await TestNode.StartAsync(ChapTarget);

        var result = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1, "christina", "123456secret")]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains("Product", result.Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AWrongPasswordIsRefusedWithAnAuthenticationFailure()
    {
        await using var node = await TestNode.StartAsync(ChapTarget);

        var result = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1, "christina", "not-the-secret")]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Authentication failure", result.All, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task NoCredentialsAreRefusedWhenAccountsAreBound()
    {
        await using var node = await TestNode.StartAsync(ChapTarget);

        var result = await ExternalTool.RunAsync("iscsi-inq", [node.Url(1)]);

        Assert.NotEqual(0, result.ExitCode);
    }

    [Fact]
    public async Task MutualChapSucceedsWhenTheInitiatorExpectsTheTargetsSecret()
    {
        await using var node = await TestNode.StartAsync(ChapTarget);

        var result = await ExternalTool.RunAsync(
            "iscsi-inq",
            [node.Url(1, "christina", "123456secret")],
            new Dictionary<string, string> { ["LIBISCSI_CHAP_TARGET_USERNAME"] = "clyde", ["LIBISCSI_CHAP_TARGET_PASSWORD"] = "target-secret-1" });

        Assert.True(result.ExitCode == 0, result.All);
    }

    [Fact]
    public async Task MutualChapFailsWhenTheInitiatorExpectsAnotherTargetSecret()
    {
        await using var node = await TestNode.StartAsync(ChapTarget);

        var result = await ExternalTool.RunAsync(
            "iscsi-inq",
            [node.Url(1, "christina", "123456secret")],
            new Dictionary<string, string> { ["LIBISCSI_CHAP_TARGET_USERNAME"] = "clyde", ["LIBISCSI_CHAP_TARGET_PASSWORD"] = "a-different-one" });

        Assert.NotEqual(0, result.ExitCode);
    }
}
