using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Output;
using IscsiCluster.Admin.Tests.TestSupport;

namespace IscsiCluster.Admin.Tests.Output;

public class ShowTextTests
{
    private static string Lines(params string[] lines) => string.Join("\n", lines) + "\n";

    private static readonly string[] Controller =
    [
        "        LUN: 0",
        "            Type: controller",
        "            SCSI ID: IET     00010000",
        "            SCSI SN: beaf10",
        "            Size: 0 MB, Block size: 1",
        "            Online: Yes",
        "            Removable media: No",
        "            Prevent removal: No",
        "            Readonly: No",
        "            SWP: No",
        "            Thin-provisioning: No",
        "            Backing store type: null",
        "            Backing store path: None",
        "            Backing store flags: ",
    ];

    [Fact]
    public void TargetShowPrintsTgtadmLayoutWithSessionLunsAccountsAndAcl()
    {
        var expected = Lines(
        [
            "Target 1: iqn.2013-05.com.magedu:tsan.disk1",
            "    System information:",
            "        Driver: iscsi",
            "        State: ready",
            "    I_T nexus information:",
            "        I_T nexus: 1",
            "            Initiator: iqn.1994-05.com.redhat:client1 alias: client1",
            "            Connection: 0",
            "                IP Address: 172.16.0.5",
            "    LUN information:",
            .. Controller,
            "        LUN: 1",
            "            Type: disk",
            "            SCSI ID: IET     00010001",
            "            SCSI SN: beaf11",
            "            Size: 42950 MB, Block size: 512",
            "            Online: Yes",
            "            Removable media: No",
            "            Prevent removal: No",
            "            Readonly: No",
            "            SWP: No",
            "            Thin-provisioning: Yes",
            "            Backing store type: rocksdb",
            "            Backing store path: /dev/sdb",
            "            Backing store flags: ",
            "        LUN: 2",
            "            Type: disk",
            "            SCSI ID: IET     00010002",
            "            SCSI SN: beaf12",
            "            Size: 10737 MB, Block size: 4096",
            "            Online: Yes",
            "            Removable media: No",
            "            Prevent removal: No",
            "            Readonly: No",
            "            SWP: No",
            "            Thin-provisioning: Yes",
            "            Backing store type: rocksdb",
            "            Backing store path: rocksdb:thin",
            "            Backing store flags: ",
            "    Account information:",
            "        christina",
            "        clyde (outgoing)",
            "    ACL information:",
            "        172.16.0.0/16",
        ]);

        Assert.Equal(expected, ShowText.Targets(Samples.Payload(), tid: null, showSecrets: false));
    }

    [Fact]
    public void TargetShowOfANewTargetMatchesTheSeedOutput()
    {
        var configuration = ClusterConfiguration.Empty.WithTarget(TargetDefinition.Create(1, "iqn.2019-01.com.aliyun:28329176"));
        var payload = new AdmPayload(configuration, [], InMemoryNode.RuntimeInfo(configuration));

        var expected = Lines(
        [
            "Target 1: iqn.2019-01.com.aliyun:28329176",
            "    System information:",
            "        Driver: iscsi",
            "        State: ready",
            "    I_T nexus information:",
            "    LUN information:",
            .. Controller,
            "    Account information:",
            "    ACL information:",
        ]);
        Assert.Equal(expected, ShowText.Targets(payload, null, false));
    }

    [Fact]
    public void TargetShowWithATidPrintsOnlyThatTarget()
    {
        var configuration = Samples.Configuration.WithTarget(TargetDefinition.Create(2, "iqn.2013-05.com.magedu:other"));
        var text = ShowText.Targets(new AdmPayload(configuration), tid: 2, showSecrets: false);

        Assert.StartsWith("Target 2: iqn.2013-05.com.magedu:other\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Target 1:", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ShowNeverPrintsSecretsUnlessAsked()
    {
        var hidden = ShowText.Targets(Samples.Payload(), null, false) + ShowText.Accounts(Samples.Payload(), false);
        Assert.DoesNotContain("123456", hidden, StringComparison.Ordinal);
        Assert.DoesNotContain("654321", hidden, StringComparison.Ordinal);

        var shown = ShowText.Targets(Samples.Payload(includeSecrets: true), null, true);
        Assert.Contains("        christina password: 123456\n", shown, StringComparison.Ordinal);
        Assert.Contains("        clyde (outgoing) password: 654321\n", shown, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShowPayloadCarriesNoSecretsUnlessTheRequestAsksForThem()
    {
        Assert.All(Samples.Payload().Configuration!.Accounts, a => Assert.Equal("", a.Password));
        Assert.Equal("123456", Samples.Payload(includeSecrets: true).Configuration!.FindAccount("christina")!.Password);
    }

    [Fact]
    public void AnOfflineTargetAndAnAliasAreShown()
    {
        var target = TargetDefinition.Create(1, "iqn.2024-01.x:y") with { State = TargetState.Offline, Alias = "backup disk" };
        var text = ShowText.Targets(new AdmPayload(ClusterConfiguration.Empty.WithTarget(target)), null, false);

        Assert.Contains("        State: offline\n        Alias: backup disk\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void AccountShowListsUsersLikeTgtAndNothingWhenThereAreNone()
    {
        Assert.Equal(Lines("Account list:", "    christina", "    clyde"), ShowText.Accounts(Samples.Payload(), false));
        Assert.Equal("", ShowText.Accounts(new AdmPayload(ClusterConfiguration.Empty), false));
    }

    [Fact]
    public void ConnectionShowPrintsTgtsSessionConnectionLayout()
    {
        var request = new AdmRequest(AdmMode.Connection, AdmOp.Show) { Tid = 1 };
        Assert.Equal(
            Lines("Session: 1", "    Connection: 0", "        Initiator: iqn.1994-05.com.redhat:client1", "        IP Address: 172.16.0.5"),
            ShowText.Connections(Samples.Payload(), request));
        Assert.Equal("", ShowText.Connections(Samples.Payload(), request with { Sid = 9 }));
    }

    [Fact]
    public void SessionShowListsSessionsWithTheirTarget()
    {
        var text = ShowText.SessionList(Samples.Payload(), new AdmRequest(AdmMode.Session, AdmOp.Show));
        Assert.Equal(
            Lines("Session: 1", "    Target: 1", "    Initiator: iqn.1994-05.com.redhat:client1 alias: client1", "    Connection: 0", "        IP Address: 172.16.0.5"),
            text);
    }

    [Fact]
    public void StatPrintsTgtsHeaderAndColumns()
    {
        var payload = new AdmPayload(Statistics: [new LunStatistics(1, 1, 1, 4096, 1, 4096, 1, 512, 2, 512, 2, 0)]);
        Assert.Equal(
            Lines(
                "tgt lun sid rd_subm(bytes,cmds) rd_done(bytes,cmds) wr_subm(bytes,cmds) wr_done(bytes,cmds) errs",
                "  1   1   1         4096      1         4096      1          512      2          512      2    0"),
            ShowText.Statistics(payload));
    }

    [Fact]
    public void SystemShowListsTheDriverStoreAndDiscoveryAccounts()
    {
        var configuration = ClusterConfiguration.Empty with { DiscoveryIncomingUsers = ["disco"], DiscoveryOutgoingUser = "back" };
        var text = ShowText.SystemInfo(new AdmPayload(configuration));

        Assert.Contains("LLDs:\n    iscsi: ready\n", text, StringComparison.Ordinal);
        Assert.EndsWith("Account information:\n    disco\n    back (outgoing)\n", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L, "0 MB")]
    [InlineData(40L << 30, "42950 MB")]
    [InlineData(1L << 30, "1074 MB")]
    public void DiskSizeRoundsLikeTgt(long bytes, string expected) => Assert.Equal(expected, ShowText.DiskSize(bytes));

    [Fact]
    public void TheProgressBarShowsPercentAndSizes()
    {
        Assert.Equal(
            "importing /dev/sdb [###############...............]  50% 512.0 MiB / 1.0 GiB",
            ProgressBar.Render(new AdmProgress("importing /dev/sdb", 512L << 20, 1L << 30)));
    }
}
