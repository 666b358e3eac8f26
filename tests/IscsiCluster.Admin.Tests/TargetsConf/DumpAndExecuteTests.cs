using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Tests.TestSupport;

namespace IscsiCluster.Admin.Tests.TargetsConf;

public sealed class DumpAndExecuteTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("adm-conf-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Every feature of the model at once: two targets, both LUN kinds, ACLs of both kinds, an offline target with an alias, discovery CHAP, an unbound account, a target with no address ACL.</summary>
    private static ClusterConfiguration Rich()
    {
        var second = TargetDefinition.Create(4, "iqn.2024-01.io.example:second") with
        {
            Alias = "the second one",
            State = TargetState.Offline,
            InitiatorNames = ["iqn.1994-05.com.redhat:a", "iqn.1994-05.com.redhat:b"],
            Luns = [new LunDefinition(3, 1L << 20, 1024, "/srv/disk images/a.img", "rocksdb", LunSource.Imported, ProductId: "Fast Disk", ProductRevision: "1.0")],
            IncomingUsers = ["christina", "spare"],
        };
        return Samples.Configuration.WithTarget(second) with
        {
            Accounts = [.. Samples.Configuration.Accounts, new AccountDefinition("spare", "spare-secret"), new AccountDefinition("unbound", "nobody-uses-it"), new AccountDefinition("disco", "disco-secret")],
            DiscoveryIncomingUsers = ["disco"],
            DiscoveryOutgoingUser = "clyde",
        };
    }

    private static ClusterConfiguration WithoutVolumeIds(ClusterConfiguration configuration) =>
        configuration with { Targets = [.. configuration.Targets.Select(t => t with { Luns = [.. t.Luns.Select(l => l with { VolumeId = null })] })] };

    private static InMemoryNode NodeWithStores(ClusterConfiguration? configuration = null)
    {
        var node = new InMemoryNode { Configuration = configuration ?? ClusterConfiguration.Empty };
        node.BackingStores["/dev/sdb"] = Samples.FortyGiB;
        node.BackingStores["/srv/disk images/a.img"] = 1L << 20;
        return node;
    }

    [Fact]
    public async Task DumpThenExecuteOnAnEmptyNodeRebuildsTheSameConfiguration()
    {
        var source = new CommandRunner(NodeWithStores(Rich()));
        Assert.Equal(0, await source.RunAsync("--dump"));
        var file = Path.Combine(_directory, "targets.conf");
        await File.WriteAllTextAsync(file, source.Stdout);

        var empty = NodeWithStores();
        var target = new CommandRunner(empty);
        Assert.Equal(0, await target.RunAsync("--execute", file));

        // Only the samples' six-digit secrets are warned about; nothing else is said.
        Assert.Equal(
            ["christina", "clyde"],
            target.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => System.Text.RegularExpressions.Regex.Match(line, "warning: account (\\w+): a CHAP secret shorter than 12 characters").Groups[1].Value));
        Assert.Equal(WithoutVolumeIds(Rich()), WithoutVolumeIds(empty.Configuration));
    }

    [Fact]
    public async Task DumpWritesTgtsTargetsConfFormat()
    {
        var runner = new CommandRunner(NodeWithStores(Samples.Configuration));
        Assert.Equal(0, await runner.RunAsync("--dump"));

        Assert.Equal(
            """
            # Written by iscsi-cluster-adm --dump; apply with iscsi-cluster-adm --execute FILE.
            # It holds CHAP secrets: keep it private.
            default-driver iscsi

            account christina 123456
            account clyde 654321

            <target iqn.2013-05.com.magedu:tsan.disk1>
                controller_tid 1
                <backing-store /dev/sdb>
                    lun 1
                    block-size 512
                </backing-store>
                <backing-store rocksdb:thin>
                    lun 2
                    bs-type rocksdb
                    bsopts size=10737418240
                    block-size 4096
                    vendor_id ACME
                </backing-store>
                initiator-address 172.16.0.0/16
                incominguser christina 123456
                outgoinguser clyde 654321
            </target>

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            runner.Stdout);
    }

    [Fact]
    public async Task ExecutingATgtStyleFileCreatesWhatTgtAdminWould()
    {
        var file = Path.Combine(_directory, "sample.conf");
        await using (var resource = typeof(DumpAndExecuteTests).Assembly.GetManifestResourceStream("IscsiCluster.Admin.Tests.Resources.sample-targets.conf")!)
        await using (var output = File.Create(file))
        {
            await resource.CopyToAsync(output);
        }

        var node = new InMemoryNode();
        foreach (var path in new[] { "/dev/LVM/somedevice", "/dev/LVM/somedevice1", "/dev/LVM/somedevice2", "/dev/LVM/somedevice3", "/dev/sdb1", "/dev/sdd1" })
        {
            node.BackingStores[path] = 1L << 20;
        }

        var runner = new CommandRunner(node);
        Assert.Equal(0, await runner.RunAsync("--execute", file));
        var configuration = node.Configuration;

        Assert.Equal([1, 2, 10, 11], configuration.Targets.Select(t => t.Tid));
        Assert.Equal(["ALL"], configuration.FindTarget(1)!.InitiatorAddresses);
        Assert.Equal([1UL, 2UL], configuration.FindTarget(2)!.Luns.Select(l => l.Lun));
        Assert.Equal("MyCompan", configuration.FindTarget(2)!.Luns[0].VendorId);
        var target5 = configuration.FindTarget(10)!;
        Assert.Equal([(1UL, "/dev/sdb1", "back1"), (15UL, "/dev/sdd1", "back2")], target5.Luns.Select(l => (l.Lun, l.BackingStoreDescription, l.VendorId!)));
        Assert.Equal(["192.168.100.1", "192.168.200.5"], target5.InitiatorAddresses);
        Assert.Equal(["user1", "user2"], target5.IncomingUsers);
        Assert.Equal("userA", target5.OutgoingUser);
        var target6 = configuration.FindTarget(11)!;
        Assert.Equal(10UL, Assert.Single(target6.Luns).Lun);
        Assert.Equal(["ALL"], target6.InitiatorAddresses);
        Assert.Equal(["iqn.1994-05.com.redhat:client1"], target6.InitiatorNames);
        Assert.Equal(["discovery"], configuration.DiscoveryIncomingUsers);
        Assert.Equal("secretpass12", configuration.FindAccount("user1")!.Password);

        Assert.Contains("line 14: write-cache is ignored", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 15: vendor_id 'MyCompany Inc.' is cut to 8 characters", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("scsi_sn is ignored", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains("MaxConnections is ignored", runner.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExecuteSkipsTargetsThatExistAndStopsAtTheFirstRefusal()
    {
        var file = Path.Combine(_directory, "t.conf");
        await File.WriteAllTextAsync(file, """
            <target iqn.2013-05.com.magedu:tsan.disk1>
                backing-store /dev/sdb
            </target>
            <target iqn.2024-01.io.example:new>
                backing-store /missing
            </target>
            <target iqn.2024-01.io.example:never>
                backing-store /dev/sdb
            </target>
            """);
        var node = NodeWithStores(Samples.Configuration);
        var runner = new CommandRunner(node);

        Assert.Equal(22, await runner.RunAsync("--execute", file));
        Assert.Contains("line 1: target iqn.2013-05.com.magedu:tsan.disk1 already exists; skipped", runner.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{file}: line 5: can't open the backing store: /missing", runner.Stderr, StringComparison.Ordinal);
        Assert.Null(node.Configuration.FindTarget("iqn.2024-01.io.example:never"));
    }

    [Fact]
    public async Task IgnoreErrorsGoesOnAfterARefusal()
    {
        var file = Path.Combine(_directory, "t.conf");
        await File.WriteAllTextAsync(file, "ignore-errors yes\n<target iqn.2024-01.x:a>\nbacking-store /missing\n</target>\n<target iqn.2024-01.x:b>\n</target>\n");
        var node = new InMemoryNode();

        Assert.Equal(22, await new CommandRunner(node).RunAsync("--execute", file));
        Assert.NotNull(node.Configuration.FindTarget("iqn.2024-01.x:b"));
    }

    [Fact]
    public async Task IncludedFilesAreReadLikeConfigGeneralDoes()
    {
        Directory.CreateDirectory(Path.Combine(_directory, "conf.d"));
        await File.WriteAllTextAsync(Path.Combine(_directory, "conf.d", "b.conf"), "<target iqn.2024-01.x:b>\n</target>\n");
        await File.WriteAllTextAsync(Path.Combine(_directory, "conf.d", "a.conf"), "<target iqn.2024-01.x:a>\n</target>\n");
        var main = Path.Combine(_directory, "targets.conf");
        await File.WriteAllTextAsync(main, "include conf.d/*.conf\ninclude /nonexistent/*.conf\n");
        var node = new InMemoryNode();

        Assert.Equal(0, await new CommandRunner(node).RunAsync("--execute", main));
        Assert.Equal(["iqn.2024-01.x:a", "iqn.2024-01.x:b"], node.Configuration.Targets.Select(t => t.Name));
    }

    [Theory]
    [InlineData("default-driver iser\n", "line 1: default-driver iser: only iscsi is served")]
    [InlineData("frobnicate yes\n", "line 1: unknown directive 'frobnicate'")]
    [InlineData("<target iqn.x:a>\nwobble 1\n</target>\n", "line 2: unknown directive 'wobble' in <target iqn.x:a>")]
    [InlineData("<target iqn.x:a>\n<backing-store /x>\nwobble 1\n</backing-store>\n</target>\n", "line 3: unknown directive 'wobble' in <backing-store /x>")]
    [InlineData("<target iqn.x:a>\nincominguser onlyname\n</target>\n", "line 2: incominguser needs a user and a password")]
    [InlineData("<target iqn.x:a>\ncontroller_tid 0\n</target>\n", "line 2: controller_tid 0: use a number of 1 or more")]
    [InlineData("<target iqn.x:a>\nbacking-store /a\nbacking-store /b\nlun 3\n</target>\n", "line 4: a target-level lun needs exactly one backing store")]
    [InlineData("<target iqn.x:a>\ncontroller_tid 2\n</target>\n<target iqn.x:b>\ncontroller_tid 2\n</target>\n", "line 5: tid 2 of iqn.x:b is already taken")]
    public async Task ABadFileIsRefusedBeforeAnythingIsSent(string text, string expected)
    {
        var file = Path.Combine(_directory, "bad.conf");
        await File.WriteAllTextAsync(file, text);
        var node = new InMemoryNode();
        var runner = new CommandRunner(node);

        Assert.Equal(22, await runner.RunAsync("--execute", file));
        Assert.Equal($"iscsi-cluster-adm: invalid request: {file}: {expected}\n", runner.Stderr);
        Assert.Equal(ClusterConfiguration.Empty, node.Configuration);
    }

    [Fact]
    public async Task AMissingFileIsNamed()
    {
        var runner = new CommandRunner(new InMemoryNode());
        Assert.Equal(22, await runner.RunAsync("--execute", Path.Combine(_directory, "absent.conf")));
        Assert.Contains("can't read", runner.Stderr, StringComparison.Ordinal);
    }
}
