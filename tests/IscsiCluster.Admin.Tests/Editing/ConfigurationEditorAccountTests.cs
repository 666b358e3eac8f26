using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Admin.Contracts.Protocol;
using static IscsiCluster.Admin.Tests.TestSupport.Edit;

namespace IscsiCluster.Admin.Tests.Editing;

public class ConfigurationEditorAccountTests
{
    private static readonly ClusterConfiguration Accounts =
        ApplyAll(ClusterConfiguration.Empty, NewTarget(), NewAccount("christina", "123456"), NewAccount("clyde", "654321"));

    [Fact]
    public void NewAccountIsKeptInCreationOrder() =>
        Assert.Equal([new AccountDefinition("christina", "123456"), new AccountDefinition("clyde", "654321")], Accounts.Accounts);

    [Fact]
    public void NewAccountRefusesAnExistingUserAndMissingOrBadFields()
    {
        Refused(AdmError.UserExists, Apply(Accounts, NewAccount("christina")), Accounts);
        Refused(AdmError.InvalidRequest, Apply(Accounts, NewAccount("x") with { Password = null }), Accounts);
        Refused(AdmError.InvalidRequest, Apply(Accounts, NewAccount("x") with { User = null }), Accounts);
        Refused(AdmError.InvalidRequest, Apply(Accounts, NewAccount("two words")), Accounts);
        var badPassword = Apply(Accounts, NewAccount("x", "sec ret"));
        Refused(AdmError.InvalidRequest, badPassword, Accounts);
        Assert.DoesNotContain("sec ret", badPassword.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void BindAddsIncomingAccountsAndOneOutgoingAccount()
    {
        var bound = ApplyAll(Accounts, Account(AdmOp.Bind, "christina"), Account(AdmOp.Bind, "clyde", outgoing: true));
        var target = bound.FindTarget(1)!;

        Assert.Equal(["christina"], target.IncomingUsers);
        Assert.Equal("clyde", target.OutgoingUser);
    }

    [Fact]
    public void BindRefusesASecondOutgoingAccountEvenTheSameOne()
    {
        var bound = ApplyAll(Accounts, Account(AdmOp.Bind, "clyde", outgoing: true));
        Refused(AdmError.OutgoingAccountExists, Apply(bound, Account(AdmOp.Bind, "clyde", outgoing: true)), bound);
    }

    [Fact]
    public void BindRefusesAnAccountAlreadyBoundUnknownAccountsAndTargets()
    {
        var bound = ApplyAll(Accounts, Account(AdmOp.Bind, "christina"));
        Refused(AdmError.UserExists, Apply(bound, Account(AdmOp.Bind, "christina")), bound);
        Refused(AdmError.NoUser, Apply(bound, Account(AdmOp.Bind, "nobody")), bound);
        Refused(AdmError.NoTarget, Apply(bound, Account(AdmOp.Bind, "clyde", tid: 7)), bound);
        Refused(AdmError.InvalidRequest, Apply(bound, Account(AdmOp.Bind, "clyde") with { User = null }), bound);
    }

    [Fact]
    public void OneAccountCannotAuthenticateBothDirectionsOfATarget()
    {
        var incoming = ApplyAll(Accounts, Account(AdmOp.Bind, "christina"));
        Refused(AdmError.InvalidRequest, Apply(incoming, Account(AdmOp.Bind, "christina", outgoing: true)), incoming);
        var outgoing = ApplyAll(Accounts, Account(AdmOp.Bind, "christina", outgoing: true));
        Refused(AdmError.InvalidRequest, Apply(outgoing, Account(AdmOp.Bind, "christina")), outgoing);
    }

    [Fact]
    public void BindWithoutATidBindsForDiscoverySessions()
    {
        var bound = ApplyAll(Accounts, Account(AdmOp.Bind, "christina", tid: null), Account(AdmOp.Bind, "clyde", tid: null, outgoing: true));

        Assert.Equal(["christina"], bound.DiscoveryIncomingUsers);
        Assert.Equal("clyde", bound.DiscoveryOutgoingUser);
        Assert.Empty(bound.FindTarget(1)!.IncomingUsers);
    }

    [Fact]
    public void UnbindRemovesTheBindingInTheGivenDirection()
    {
        var bound = ApplyAll(Accounts, Account(AdmOp.Bind, "christina"), Account(AdmOp.Bind, "clyde", outgoing: true));
        var unbound = ApplyAll(bound, Account(AdmOp.Unbind, "christina"), Account(AdmOp.Unbind, "clyde", outgoing: true));

        Assert.Empty(unbound.FindTarget(1)!.IncomingUsers);
        Assert.Null(unbound.FindTarget(1)!.OutgoingUser);
    }

    [Fact]
    public void UnbindRefusesABindingThatIsNotThere()
    {
        var bound = ApplyAll(Accounts, Account(AdmOp.Bind, "christina"));
        Refused(AdmError.NoUser, Apply(bound, Account(AdmOp.Unbind, "christina", outgoing: true)), bound);
        Refused(AdmError.NoUser, Apply(bound, Account(AdmOp.Unbind, "clyde")), bound);
        Refused(AdmError.NoUser, Apply(bound, Account(AdmOp.Unbind, "ghost")), bound);
        Refused(AdmError.NoTarget, Apply(bound, Account(AdmOp.Unbind, "christina", tid: 3)), bound);
    }

    [Fact]
    public void DeletingABoundAccountUnbindsItEverywhereFirst()
    {
        var bound = ApplyAll(
            Accounts,
            NewTarget(2, "iqn.2024-01.x:two"),
            Account(AdmOp.Bind, "christina"),
            Account(AdmOp.Bind, "christina", tid: 2, outgoing: true),
            Account(AdmOp.Bind, "christina", tid: null));
        var deleted = ApplyAll(bound, new AdmRequest(AdmMode.Account, AdmOp.Delete) { User = "christina" });

        Assert.Null(deleted.FindAccount("christina"));
        Assert.Empty(deleted.FindTarget(1)!.IncomingUsers);
        Assert.Null(deleted.FindTarget(2)!.OutgoingUser);
        Assert.Empty(deleted.DiscoveryIncomingUsers);
    }

    [Fact]
    public void DeleteRefusesAnUnknownAccountOrNoUser()
    {
        Refused(AdmError.NoUser, Apply(Accounts, new AdmRequest(AdmMode.Account, AdmOp.Delete) { User = "ghost" }), Accounts);
        Refused(AdmError.InvalidRequest, Apply(Accounts, new AdmRequest(AdmMode.Account, AdmOp.Delete)), Accounts);
    }

    [Fact]
    public void ShowIsReadOnly() => Assert.False(Apply(Accounts, new AdmRequest(AdmMode.Account, AdmOp.Show)).Changed);

    [Fact]
    public void AnAccountNeverRendersItsPassword() =>
        Assert.DoesNotContain("123456", new AccountDefinition("christina", "123456").ToString(), StringComparison.Ordinal);
}
