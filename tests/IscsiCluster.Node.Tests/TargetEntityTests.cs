using Akka.Actor;
using Akka.Cluster.Sharding;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// The cluster's one actor of a target decides, for every portal, who may log in, with which accounts, and which LUNs the
/// target maps; it decides on a configuration at least as new as the asker's, and passivates once its target is deleted.
/// </summary>
public sealed class TargetEntityTests : NodeTestKit
{
    private const string Admitted = "iqn.2026-11.org.example:admitted";
    private const string Stranger = "iqn.2026-11.org.example:stranger";

    private readonly ClusterConfigurationView _view = new();

    [Fact]
    public async Task TheAclAdmitsByNameOrAddressAndTheDecisionCarriesTheAccountsAndTheLunIds()
    {
        var lun = Disk(3);
        var target = TargetDefinition.Create(1, TestNode.TargetName).WithLun(lun) with
        {
            Alias = "archive",
            InitiatorNames = [Admitted],
            InitiatorAddresses = ["10.1.0.0/16"],
            IncomingUsers = ["alice"],
            OutgoingUser = "target-self",
        };
        _view.Replace(4, Configuration(target), fromCluster: true);
        var entity = Sys.ActorOf(Props.Create(() => new TargetEntity(1, _view)));

        var byName = await AskAsync(entity, new AccessQuery(1, 4, Admitted.ToUpperInvariant(), "192.0.2.7"));
        var byAddress = await AskAsync(entity, new AccessQuery(1, 4, Stranger, "10.1.200.3"));
        var refused = await AskAsync(entity, new AccessQuery(1, 4, Stranger, "192.0.2.7"));
        var garbled = await AskAsync(entity, new AccessQuery(1, 4, Stranger, "not an address"));

        Assert.True(byName.Admitted);
        Assert.True(byAddress.Admitted);
        Assert.False(refused.Admitted);
        Assert.False(garbled.Admitted);
        Assert.Equal((TestNode.TargetName, "archive"), (byName.TargetName, byName.Alias));
        Assert.Equal(("alice", "alice-secret-12"), (Assert.Single(byName.IncomingAccounts).User, byName.IncomingAccounts[0].Secret));
        Assert.Equal("target-self-secret-12", byName.OutgoingAccount?.Secret);
        Assert.Equal(lun.VolumeId, Assert.Single(byName.LunIds, l => l.Key == 3).Value);
    }

    [Fact]
    public async Task AnOfflineTargetAdmitsNoOne()
    {
        var target = TargetDefinition.Create(1, TestNode.TargetName) with { InitiatorAddresses = ["ALL"], State = TargetState.Offline };
        _view.Replace(1, Configuration(target), fromCluster: true);
        var entity = Sys.ActorOf(Props.Create(() => new TargetEntity(1, _view)));

        var decision = await AskAsync(entity, new AccessQuery(1, 1, Admitted, "127.0.0.1"));

        Assert.True(decision.Exists);
        Assert.False(decision.Admitted);
    }

    [Fact]
    public async Task AQuestionFromANodeWithANewerConfigurationWaitsUntilThisNodeHasIt()
    {
        var closed = TargetDefinition.Create(1, TestNode.TargetName);
        _view.Replace(1, Configuration(closed), fromCluster: true);
        var entity = Sys.ActorOf(Props.Create(() => new TargetEntity(1, _view)));
        var asker = CreateTestProbe();

        // The asker already holds version 2, in which the target admits everyone.
        asker.Send(entity, new AccessQuery(1, 2, Admitted, "127.0.0.1"));
        await asker.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        _view.Replace(2, Configuration(closed with { InitiatorAddresses = ["ALL"] }), fromCluster: true);

        Assert.True((await asker.ExpectMsgAsync<AccessDecision>()).Admitted);
    }

    [Fact]
    public async Task ADeletedTargetIsAnsweredAsAbsentAndItsEntityPassivates()
    {
        _view.Replace(3, Configuration(TargetDefinition.Create(2, "iqn.2026-11.org.example:other")), fromCluster: true);
        var shard = CreateTestProbe();
        var entity = shard.ChildActorOf(Props.Create(() => new TargetEntity(1, _view)));
        var asker = CreateTestProbe();

        asker.Send(entity, new AccessQuery(1, 3, Admitted, "127.0.0.1"));

        Assert.False((await asker.ExpectMsgAsync<AccessDecision>()).Exists);
        await shard.ExpectMsgAsync<Passivate>();
    }

    [Fact]
    public void TheDecisionCrossesNodesWholeAndItsSecretsStayOutOfItsText()
    {
        var decision = new AccessDecision(
            7, true, TestNode.TargetName, "alias", true, [new ChapAccount("alice", "alice-secret-12")], new ChapAccount("me", "my-secret-1234"),
            new Dictionary<ulong, ulong> { [1] = 0x1234_5678_9ABC, [2] = ulong.MaxValue >> 4 });
        var serializer = Sys.Serialization.FindSerializerFor(decision);

        var copy = (AccessDecision)Sys.Serialization.Deserialize(serializer.ToBinary(decision), serializer.Identifier, Akka.Serialization.Serialization.ManifestFor(serializer, decision));

        Assert.IsType<Cluster.ClusterMessageSerializer>(serializer);
        Assert.Equal(decision.IncomingAccounts, copy.IncomingAccounts);
        Assert.Equal(decision.OutgoingAccount, copy.OutgoingAccount);
        Assert.Equal(decision.LunIds.OrderBy(l => l.Key), copy.LunIds.OrderBy(l => l.Key));
        Assert.Equal((decision.Tid, decision.TargetName, decision.Alias, decision.Admitted), (copy.Tid, copy.TargetName, copy.Alias, copy.Admitted));
        Assert.DoesNotContain("secret", decision.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", decision.OutgoingAccount!.ToString(), StringComparison.Ordinal);
    }

    private async Task<AccessDecision> AskAsync(IActorRef entity, AccessQuery query) =>
        await entity.Ask<AccessDecision>(query, Dilated(TimeSpan.FromSeconds(5)));

    private static ClusterConfiguration Configuration(TargetDefinition target) =>
        ClusterConfiguration.Empty with
        {
            Targets = [target],
            Accounts = [new AccountDefinition("alice", "alice-secret-12"), new AccountDefinition("target-self", "target-self-secret-12")],
        };

    private static LunDefinition Disk(ulong lun) =>
        new(lun, 1024 * 1024, 512, LunDefinition.ThinDescription, LunDefinition.StoreBsType, LunSource.Thin, LunIds.NewId());
}
