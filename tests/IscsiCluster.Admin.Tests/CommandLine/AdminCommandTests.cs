using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Tests.TestSupport;
using IscsiCluster.Admin.Transport;

namespace IscsiCluster.Admin.Tests.CommandLine;

public class AdminCommandTests
{
    private static InMemoryNode NodeWithScratchFile()
    {
        var node = new InMemoryNode();
        node.BackingStores["/tmp/scratch.img"] = 64L << 20;
        return node;
    }

    [Fact]
    public async Task TheIssuesSevenCommandsSucceedAndShowListsEverything()
    {
        var node = NodeWithScratchFile();
        var runner = new CommandRunner(node);
        string[] commands =
        [
            "--lld iscsi --op new --mode target --tid 1 -T iqn.2013-05.com.magedu:tsan.disk1",
            "--lld iscsi --op new --mode logicalunit --tid 1 --lun 1 -b /tmp/scratch.img",
            "--lld iscsi --op bind --mode target --tid 1 -I 172.16.0.0/16",
            "--lld iscsi --op new --mode account --user christina --password 123456",
            "--lld iscsi --op bind --mode account --tid 1 --user christina",
            "--lld iscsi --op new --mode account --user clyde --password 654321",
            "--lld iscsi --op bind --mode account --tid 1 --user clyde --outgoing",
        ];
        foreach (var command in commands)
        {
            Assert.Equal(0, await runner.RunLineAsync(command));
            Assert.Equal("", runner.Stdout);

            // The transcript's six-digit secrets are kept, with a warning (RFC 7143 asks for 12 characters).
            Assert.Equal(command.Contains("--op new --mode account", StringComparison.Ordinal) ? ShortSecretWarning(command.Split(' ')[7]) : "", runner.Stderr);
        }

        Assert.Equal(0, await runner.RunLineAsync("--lld iscsi --op show --mode target"));
        var show = runner.Stdout;
        Assert.StartsWith("Target 1: iqn.2013-05.com.magedu:tsan.disk1\n", show, StringComparison.Ordinal);
        Assert.Contains("        LUN: 1\n            Type: disk\n", show, StringComparison.Ordinal);
        Assert.Contains("            Size: 67 MB, Block size: 512\n", show, StringComparison.Ordinal);
        Assert.Contains("            Backing store path: /tmp/scratch.img\n", show, StringComparison.Ordinal);
        Assert.EndsWith("    Account information:\n        christina\n        clyde (outgoing)\n    ACL information:\n        172.16.0.0/16\n", show, StringComparison.Ordinal);
        Assert.DoesNotContain("123456", show, StringComparison.Ordinal);
    }

    private static string ShortSecretWarning(string user) =>
        $"iscsi-cluster-adm: warning: account {user}: a CHAP secret shorter than 12 characters (96 bits) can be guessed from one captured login; RFC 7143 12.1.3 asks for at least 12\n";

    [Fact]
    public async Task OneSecretForBothDirectionsOfATargetIsRefusedWhicheverIsBoundSecond()
    {
        var node = new InMemoryNode();
        var runner = new CommandRunner(node);
        foreach (var command in new[]
        {
            "-m target -o new -t 1 -T iqn.2013-05.com.magedu:tsan.disk1",
            "-m target -o new -t 2 -T iqn.2013-05.com.magedu:tsan.disk2",
            "-m account -o new -u christina -p same-secret-1234",
            "-m account -o new -u clyde -p same-secret-1234",
            "-m account -o bind -t 1 -u christina",
            "-m account -o bind -t 2 -u clyde -O",
        })
        {
            Assert.Equal(0, await runner.RunLineAsync(command));
        }

        Assert.Equal(22, await runner.RunLineAsync("-m account -o bind -t 1 -u clyde -O"));
        Assert.Equal("iscsi-cluster-adm: invalid request: clyde has the same secret as christina, an incoming account of tid 1; RFC 7143 12.1.3 forbids one secret for both directions: give the outgoing account its own password\n", runner.Stderr);
        Assert.Equal(22, await runner.RunLineAsync("-m account -o bind -t 2 -u christina"));
        Assert.StartsWith("iscsi-cluster-adm: invalid request: christina has the same secret as clyde, the outgoing account of tid 2;", runner.Stderr, StringComparison.Ordinal);
        Assert.Null(node.Configuration.FindTarget(1)!.OutgoingUser);
        Assert.Empty(node.Configuration.FindTarget(2)!.IncomingUsers);
        Assert.DoesNotContain("same-secret-1234", runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortSecretIsRefusedOnlyByANodeConfiguredToRefuseIt()
    {
        var runner = new CommandRunner(new InMemoryNode { RefuseShortSecrets = true });

        Assert.Equal(22, await runner.RunLineAsync("-m account -o new -u christina -p 123456"));
        Assert.StartsWith("iscsi-cluster-adm: invalid request: a CHAP secret shorter than 12 characters", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("refuse-short-secrets", runner.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m account -o new -u christina -p twelve-chars"));
        Assert.Equal("", runner.Stderr);
    }

    [Theory]
    [InlineData("-m account -o new -u </target> -p a-long-enough-secret", "a user name cannot contain spaces, control characters or any of <>\"'#\\")]
    [InlineData("-m account -o new -u bob\"x -p a-long-enough-secret", "a user name cannot contain spaces, control characters or any of <>\"'#\\")]
    [InlineData("-m account -o new -u bob -p a-long-secret#comment", "a password cannot contain spaces, control characters or any of <>\"'#\\")]
    [InlineData("-m account -o new -u bob -p <target>--long", "a password cannot contain spaces, control characters or any of <>\"'#\\")]
    public async Task AccountNamesAndSecretsThatWouldBreakTheDumpAreRefused(string line, string message)
    {
        var node = new InMemoryNode();
        var runner = new CommandRunner(node);

        Assert.Equal(22, await runner.RunLineAsync(line));
        Assert.Equal($"iscsi-cluster-adm: invalid request: {message}\n", runner.Stderr);
        Assert.Empty(node.Configuration.Accounts);
    }

    [Fact]
    public async Task ShowSecretsIsTheOnlyWayShowPrintsAPassword()
    {
        var runner = new CommandRunner(new InMemoryNode { Configuration = Samples.Configuration });

        Assert.Equal(0, await runner.RunLineAsync("-m account -o show"));
        Assert.DoesNotContain("123456", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m account -o show -P show-secrets=1"));
        Assert.Contains("christina password: 123456", runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportProgressIsDrawnWhenAsked()
    {
        var node = NodeWithScratchFile();
        node.Configuration = Edit.ApplyAll(node.Configuration, Edit.NewTarget());
        var stderr = new StringWriter();
        var command = new AdminCommand(new StringWriter(), stderr, _ => node, _ => null, "/run", showProgress: true);

        Assert.Equal(0, await command.RunAsync("-m lu -o new -t 1 -l 1 -b /tmp/scratch.img".Split(' '), CancellationToken.None));
        Assert.Contains("\rimporting /tmp/scratch.img [###############...............]  50%", stderr.ToString(), StringComparison.Ordinal);
        Assert.EndsWith(" 100% 64.0 MiB / 64.0 MiB\n", stderr.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-m target -o new -t 1 -T iqn.2013-05.com.magedu:tsan.disk1", "this target already exists: tid 1 is taken")]
    [InlineData("-m target -o delete -t 2", "can't find the target: tid 2")]
    [InlineData("-m lu -o new -t 1 -l 0 -S size=1G", "lun 0 is reserved for the target's controller, use 1 or more")]
    [InlineData("-m lu -o new -t 1 -l 1 -S size=1G", "this logical unit number already exists: lun 1 of tid 1")]
    [InlineData("-m account -o new -u christina -p x", "this account already exists: christina")]
    [InlineData("-m account -o bind -t 1 -u nobody", "can't find the account: nobody")]
    [InlineData("-m account -o bind -t 1 -u christina -O", "this target already has an outgoing account: clyde on tid 1")]
    public async Task RefusalsReadLikeTgtadmAndExitWithEinval(string line, string message)
    {
        var runner = new CommandRunner(new InMemoryNode { Configuration = Samples.Configuration });

        Assert.Equal(22, await runner.RunLineAsync(line));
        Assert.Equal($"iscsi-cluster-adm: {message}\n", runner.Stderr);
        Assert.Equal("", runner.Stdout);
    }

    [Fact]
    public async Task DeletingATargetWithSessionsNeedsForce()
    {
        var node = new InMemoryNode { Configuration = Samples.Configuration };
        node.Sessions.Add(Samples.Session);
        var runner = new CommandRunner(node);

        Assert.Equal(22, await runner.RunLineAsync("-m target -o delete -t 1"));
        Assert.StartsWith("iscsi-cluster-adm: this target is still active", runner.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m target -o delete -t 1 --force"));
        Assert.Empty(node.Configuration.Targets);
    }

    [Fact]
    public async Task AUsageErrorSaysHowToGetHelpAndSendsNothing()
    {
        var node = new InMemoryNode();
        var runner = new CommandRunner(node);

        Assert.Equal(22, await runner.RunLineAsync("-m target -o new -t 1"));
        Assert.Equal(
            "iscsi-cluster-adm: --targetname is required for --mode target --op new\nTry `iscsi-cluster-adm --help' for more information.\n",
            runner.Stderr);
        Assert.Empty(node.Received);
    }

    [Fact]
    public async Task JsonOutputCarriesTheSameShowData()
    {
        var node = new InMemoryNode { Configuration = Samples.Configuration.WithTarget(Samples.Configuration.FindTarget(1)! with { Tid = 2, Name = "iqn.x:two" }) };
        var runner = new CommandRunner(node);

        Assert.Equal(0, await runner.RunLineAsync("-m target -o show -t 2 --output json"));
        Assert.Contains("\"name\": \"iqn.x:two\"", runner.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("tsan.disk1", runner.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("123456", runner.Stdout, StringComparison.Ordinal);
        Assert.Contains("\"error\": \"Success\"", runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JsonOutputOfARefusalCarriesTheErrorAndTheExitCodeStays()
    {
        var runner = new CommandRunner(new InMemoryNode());
        Assert.Equal(22, await runner.RunLineAsync("-m target -o delete -t 3 --output json"));
        Assert.Contains("\"error\": \"NoTarget\"", runner.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionConnectionStatAndSystemShowsArePrinted()
    {
        var node = new InMemoryNode { Configuration = Samples.Configuration };
        node.Sessions.Add(Samples.Session);
        var runner = new CommandRunner(node);

        Assert.Equal(0, await runner.RunLineAsync("-m conn -o show -t 1"));
        Assert.StartsWith("Session: 1\n    Connection: 0\n", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m sess -o show"));
        Assert.StartsWith("Session: 1\n    Target: 1\n", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m target -o stat -t 1"));
        Assert.StartsWith("tgt lun sid", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m sys -o show"));
        Assert.StartsWith("System:\n", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunLineAsync("-m conn -o delete -t 1 -s 1 -c 0"));
        Assert.Equal(AdmOp.Delete, node.Received[^1].Op);
    }

    [Fact]
    public async Task HelpAndVersionNeedNoNode()
    {
        var runner = new CommandRunner(new InMemoryNode());
        Assert.Equal(0, await runner.RunAsync("--help"));
        Assert.Contains("--initiator-address", runner.Stdout, StringComparison.Ordinal);
        Assert.Equal(0, await runner.RunAsync("-V"));
        Assert.StartsWith("iscsi-cluster-adm ", runner.Stdout, StringComparison.Ordinal);
        Assert.Null(runner.LastEndpoint);
    }

    [Theory]
    [InlineData(null, null, "/run/dir/admin.sock")]
    [InlineData("0", null, "/run/dir/admin.sock")]
    [InlineData("2", null, "/run/dir/admin.sock.2")]
    [InlineData("/srv/node-b.sock", null, "/srv/node-b.sock")]
    [InlineData(null, "/var/run/ic.sock", "/var/run/ic.sock")]
    [InlineData("3", "/var/run/ic.sock", "/var/run/ic.sock.3")]
    [InlineData("10.0.0.2:7000", null, "10.0.0.2:7000")]
    [InlineData(null, "node-a:7001", "node-a:7001")]
    [InlineData("7002", "node-a:7001", "node-a:7002")]
    public async Task TheEndpointComesFromControlPortOrTheEnvironment(string? controlPort, string? socketVariable, string expected)
    {
        var environment = new Dictionary<string, string> { [AdminEndpoint.TokenVariable] = "tok" };
        if (socketVariable is not null)
        {
            environment[AdminEndpoint.SocketVariable] = socketVariable;
        }

        var runner = new CommandRunner(new InMemoryNode(), environment);
        string[] args = controlPort is null ? ["-m", "target", "-o", "show"] : ["-m", "target", "-o", "show", "-C", controlPort];

        Assert.Equal(0, await runner.RunAsync(args));
        Assert.Equal(expected, runner.LastEndpoint!.ToString());
        Assert.Equal(runner.LastEndpoint.IsTcp ? "tok" : null, runner.LastEndpoint.Token);
    }

    [Fact]
    public async Task TheRunDirectoryVariableMovesTheDefaultSocket()
    {
        var runner = new CommandRunner(new InMemoryNode(), new Dictionary<string, string> { [AdminEndpoint.RunDirectoryVariable] = "/elsewhere" });
        Assert.Equal(0, await runner.RunLineAsync("-m target -o show"));
        Assert.Equal("/elsewhere/admin.sock", runner.LastEndpoint!.SocketPath);
    }

    [Theory]
    [InlineData("host:notaport")]
    [InlineData(":3260")]
    [InlineData("host:70000")]
    public async Task ABadControlPortIsAUsageError(string controlPort)
    {
        var runner = new CommandRunner(new InMemoryNode());
        Assert.Equal(22, await runner.RunAsync("-m", "target", "-o", "show", "-C", controlPort));
        Assert.Contains("is neither a socket path nor host:port", runner.Stderr, StringComparison.Ordinal);
    }
}
