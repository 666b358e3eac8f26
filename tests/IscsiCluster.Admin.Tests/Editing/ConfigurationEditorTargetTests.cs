using IscsiCluster.Admin.Contracts.Editing;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Tests.TestSupport;
using static IscsiCluster.Admin.Tests.TestSupport.Edit;

namespace IscsiCluster.Admin.Tests.Editing;

public class ConfigurationEditorTargetTests
{
    private static readonly ClusterConfiguration OneTarget = ApplyAll(ClusterConfiguration.Empty, NewTarget());

    [Fact]
    public void NewTargetCreatesAReadyTargetWithNoLunNoAclAndNoAccount()
    {
        var result = Apply(ClusterConfiguration.Empty, NewTarget());

        Assert.True(result.Succeeded);
        Assert.True(result.Changed);
        Assert.Equal(TargetDefinition.Create(1, Samples.TargetName), Assert.Single(result.Configuration.Targets));
    }

    [Fact]
    public void TargetsStayInTidOrder()
    {
        var configuration = ApplyAll(ClusterConfiguration.Empty, NewTarget(5, "iqn.2024-01.x:five"), NewTarget(2, "iqn.2024-01.x:two"));
        Assert.Equal([2, 5], configuration.Targets.Select(t => t.Tid));
    }

    [Fact]
    public void NewTargetRefusesTidZeroAsReserved() => Refused(AdmError.ReservedTid, Apply(OneTarget, NewTarget(0, "iqn.2024-01.x:y")), OneTarget);

    [Fact]
    public void NewTargetRefusesANegativeTid() => Refused(AdmError.InvalidRequest, Apply(OneTarget, NewTarget(-3, "iqn.2024-01.x:y")), OneTarget);

    [Fact]
    public void NewTargetRefusesAMissingTidOrName()
    {
        Refused(AdmError.InvalidRequest, Apply(OneTarget, NewTarget() with { Tid = null }), OneTarget);
        var noName = Apply(OneTarget, Target(AdmOp.New, 2));
        Refused(AdmError.InvalidRequest, noName, OneTarget);
        Assert.Equal("--targetname is required", noName.Detail);
    }

    [Fact]
    public void NewTargetRefusesAnExistingTidAndAnExistingName()
    {
        Refused(AdmError.TargetExists, Apply(OneTarget, NewTarget(1, "iqn.2024-01.x:other")), OneTarget);
        Refused(AdmError.TargetExists, Apply(OneTarget, NewTarget(2, Samples.TargetName)), OneTarget);
    }

    [Theory]
    [InlineData("iqn.2024-01.x:with space")]
    [InlineData("iqn.2024-01.x:under_score")]
    [InlineData("")]
    public void NewTargetRefusesNamesTgtRefuses(string name) =>
        Refused(AdmError.InvalidTargetName, Apply(OneTarget, NewTarget(2, name)), OneTarget);

    [Fact]
    public void NewTargetRefusesANameLongerThanRfc7143Allows() =>
        Refused(AdmError.InvalidTargetName, Apply(OneTarget, NewTarget(2, "iqn.2024-01.x:" + new string('a', 220))), OneTarget);

    [Fact]
    public void DeleteTargetRemovesItAndItsBindingsButKeepsAccounts()
    {
        var configuration = ApplyAll(OneTarget, NewAccount("christina"), Account(AdmOp.Bind, "christina"));
        var result = Apply(configuration, Target(AdmOp.Delete));

        Assert.True(result.Succeeded);
        Assert.Empty(result.Configuration.Targets);
        Assert.NotNull(result.Configuration.FindAccount("christina"));
    }

    [Fact]
    public void DeleteTargetRefusesAMissingTargetOrTid()
    {
        Refused(AdmError.NoTarget, Apply(OneTarget, Target(AdmOp.Delete, 9)), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, Target(AdmOp.Delete, null)), OneTarget);
        Refused(AdmError.ReservedTid, Apply(OneTarget, Target(AdmOp.Delete, 0)), OneTarget);
    }

    [Fact]
    public void DeleteTargetWithSessionsNeedsForce()
    {
        var withSessions = new EditContext(new HashSet<int> { 1 });

        Refused(AdmError.TargetActive, Apply(OneTarget, Target(AdmOp.Delete), withSessions), OneTarget);
        Assert.Empty(Apply(OneTarget, Target(AdmOp.Delete) with { Force = true }, withSessions).Configuration.Targets);
    }

    [Fact]
    public void ShowAndStatChangeNothingAndRefuseAMissingTarget()
    {
        foreach (var op in new[] { AdmOp.Show, AdmOp.Stat })
        {
            var all = Apply(OneTarget, Target(op, null));
            Assert.True(all.Succeeded);
            Assert.False(all.Changed);
            Assert.True(Apply(OneTarget, Target(op)).Succeeded);
            Refused(AdmError.NoTarget, Apply(OneTarget, Target(op, 4)), OneTarget);
        }
    }

    [Theory]
    [InlineData("offline", TargetState.Offline)]
    [InlineData("ready", TargetState.Ready)]
    public void UpdateSetsTheState(string value, TargetState expected)
    {
        var result = Apply(OneTarget, Target(AdmOp.Update) with { Name = "state", Value = value });
        Assert.Equal(expected, result.Configuration.FindTarget(1)!.State);
    }

    [Fact]
    public void UpdateSetsAndClearsTheAlias()
    {
        var named = ApplyAll(OneTarget, Target(AdmOp.Update) with { Name = "TargetAlias", Value = "backup disk" });
        Assert.Equal("backup disk", named.FindTarget(1)!.Alias);
        Assert.Null(ApplyAll(named, Target(AdmOp.Update) with { Name = "TargetAlias", Value = "" }).FindTarget(1)!.Alias);
    }

    [Fact]
    public void UpdateRefusesABadStateABadAliasAndMissingNameOrValue()
    {
        Refused(AdmError.InvalidRequest, Apply(OneTarget, Target(AdmOp.Update) with { Name = "state", Value = "sleepy" }), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, Target(AdmOp.Update) with { Name = "TargetAlias", Value = "a\tb" }), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, Target(AdmOp.Update) with { Name = "state" }), OneTarget);
        Refused(AdmError.InvalidRequest, Apply(OneTarget, Target(AdmOp.Update) with { Value = "ready" }), OneTarget);
        Refused(AdmError.NoTarget, Apply(OneTarget, Target(AdmOp.Update, 3) with { Name = "state", Value = "ready" }), OneTarget);
    }

    [Fact]
    public void UpdateRefusesTgtsIscsiParametersAsUnsupportedAndOthersAsUnknown()
    {
        Refused(AdmError.UnsupportedOperation, Apply(OneTarget, Target(AdmOp.Update) with { Name = "MaxRecvDataSegmentLength", Value = "8192" }), OneTarget);
        Refused(AdmError.UnknownParam, Apply(OneTarget, Target(AdmOp.Update) with { Name = "colour", Value = "red" }), OneTarget);
    }

    [Fact]
    public void BindAddsAddressesAndNamesInOrder()
    {
        var configuration = ApplyAll(
            OneTarget,
            Target(AdmOp.Bind) with { InitiatorAddress = "172.16.0.0/16" },
            Target(AdmOp.Bind) with { InitiatorAddress = "ALL", InitiatorName = "iqn.1994-05.com.redhat:a" },
            Target(AdmOp.Bind) with { InitiatorAddress = "fe80::1/64" });
        var target = configuration.FindTarget(1)!;

        Assert.Equal(["172.16.0.0/16", "ALL", "fe80::1/64"], target.InitiatorAddresses);
        Assert.Equal(["iqn.1994-05.com.redhat:a"], target.InitiatorNames);
    }

    [Fact]
    public void BindRefusesDuplicatesBadAddressesAndNothingToBind()
    {
        var bound = ApplyAll(OneTarget, Target(AdmOp.Bind) with { InitiatorAddress = "10.0.0.1", InitiatorName = "iqn.x:a" });

        Refused(AdmError.AclExists, Apply(bound, Target(AdmOp.Bind) with { InitiatorAddress = "10.0.0.1" }), bound);
        Refused(AdmError.AclExists, Apply(bound, Target(AdmOp.Bind) with { InitiatorName = "iqn.x:a" }), bound);
        Refused(AdmError.InvalidInitiatorAddress, Apply(bound, Target(AdmOp.Bind) with { InitiatorAddress = "10.0.0.300" }), bound);
        Refused(AdmError.InvalidRequest, Apply(bound, Target(AdmOp.Bind) with { InitiatorName = "iqn.x:has space" }), bound);
        Refused(AdmError.InvalidRequest, Apply(bound, Target(AdmOp.Bind)), bound);
        Refused(AdmError.NoTarget, Apply(bound, Target(AdmOp.Bind, 2) with { InitiatorAddress = "ALL" }), bound);
    }

    [Fact]
    public void ABindOfAnAddressAndANameHappensWhollyOrNotAtAll()
    {
        var bound = ApplyAll(OneTarget, Target(AdmOp.Bind) with { InitiatorName = "iqn.x:a" });
        Refused(AdmError.AclExists, Apply(bound, Target(AdmOp.Bind) with { InitiatorAddress = "10.0.0.2", InitiatorName = "iqn.x:a" }), bound);
    }

    [Fact]
    public void UnbindRemovesEntriesAndRefusesOnesThatAreNotThere()
    {
        var bound = ApplyAll(OneTarget, Target(AdmOp.Bind) with { InitiatorAddress = "ALL", InitiatorName = "iqn.x:a" });
        var unbound = ApplyAll(bound, Target(AdmOp.Unbind) with { InitiatorAddress = "ALL" }, Target(AdmOp.Unbind) with { InitiatorName = "iqn.x:a" });

        Assert.Empty(unbound.FindTarget(1)!.InitiatorAddresses);
        Assert.Empty(unbound.FindTarget(1)!.InitiatorNames);
        Refused(AdmError.AclNotFound, Apply(unbound, Target(AdmOp.Unbind) with { InitiatorAddress = "ALL" }), unbound);
        Refused(AdmError.AclNotFound, Apply(unbound, Target(AdmOp.Unbind) with { InitiatorName = "iqn.x:a" }), unbound);
        Refused(AdmError.InvalidRequest, Apply(unbound, Target(AdmOp.Unbind)), unbound);
    }

    [Fact]
    public void AnyDriverButIscsiIsRefused() =>
        Refused(AdmError.NoDriver, Apply(OneTarget, NewTarget(2, "iqn.2024-01.x:y") with { Lld = "iser" }), OneTarget);

    [Theory]
    [InlineData(AdmMode.Target, AdmOp.Start)]
    [InlineData(AdmMode.Portal, AdmOp.Show)]
    [InlineData(AdmMode.Lld, AdmOp.Show)]
    [InlineData(AdmMode.System, AdmOp.Update)]
    [InlineData(AdmMode.Account, AdmOp.Update)]
    [InlineData(AdmMode.LogicalUnit, AdmOp.Show)]
    [InlineData(AdmMode.Session, AdmOp.New)]
    public void OperationsTgtHasNoMeaningForHereAreUnsupported(AdmMode mode, AdmOp op) =>
        Refused(AdmError.UnsupportedOperation, Apply(OneTarget, new AdmRequest(mode, op) { Tid = 1, Lun = 1 }), OneTarget);

    [Fact]
    public void SystemShowAndStatAreReadOnly()
    {
        Assert.False(Apply(OneTarget, new AdmRequest(AdmMode.System, AdmOp.Show)).Changed);
        Assert.True(Apply(OneTarget, new AdmRequest(AdmMode.System, AdmOp.Stat)).Succeeded);
    }
}
