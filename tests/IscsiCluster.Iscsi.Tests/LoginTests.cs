using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using ProtocolAccount = IscsiCluster.Iscsi.Protocol.Chap.ChapAccount;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>The login phase (RFC 7143 section 6, 11.12, 11.13) against a running portal.</summary>
public sealed class LoginTests : PortalTestKit
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly ChapAccount Alice = new("alice", "alice-secret-1234");
    private static readonly ChapAccount TargetAccount = new("target", "target-secret-5678");

    [Fact]
    public async Task LoginWithoutAuthenticationReachesFullFeaturePhaseAndOpensTheSession()
    {
        var target = CreateTestProbe();
        await using var portal = await TestPortal.StartAsync(Sys, target.Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync(TestPortal.DiskTarget);

        Assert.Equal(LoginStatus.Success, response.Status);
        Assert.True(response.Transit);
        Assert.Equal(LoginStage.FullFeaturePhase, response.NextStage);
        Assert.NotEqual(0, response.Tsih);
        var opened = await target.ExpectMsgAsync<SessionOpened>(Patience);
        Assert.Equal(TestInitiator.DefaultInitiatorName, opened.Nexus.InitiatorName);
        Assert.Equal($"{TestInitiator.DefaultInitiatorName},i,0x80123456789a", opened.Nexus.InitiatorPortName);
        Assert.Equal(TestPortal.DiskTarget, opened.Nexus.TargetName);
        Assert.Equal((ushort)1, opened.Nexus.TargetPortGroup);
    }

    [Fact]
    public async Task LoginWithOneWayChapSucceeds()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice] });
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginWithChapAsync(TestPortal.DiskTarget, Protocol(Alice));

        Assert.Equal(LoginStatus.Success, response.Status);
        Assert.Equal(LoginStage.FullFeaturePhase, response.NextStage);
    }

    [Fact]
    public async Task LoginWithMutualChapAuthenticatesTheTargetToo()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice], OutgoingAccount = TargetAccount });
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginWithChapAsync(TestPortal.DiskTarget, Protocol(Alice), Protocol(TargetAccount));

        Assert.Equal(LoginStatus.Success, response.Status);
    }

    [Fact]
    public async Task LoginWithAWrongChapSecretFailsWithAuthenticationFailureAndClosesTheConnection()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice] });
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginWithChapAsync(TestPortal.DiskTarget, new ProtocolAccount("alice", "not-the-secret-000"));

        Assert.Equal(LoginStatus.AuthenticationFailure, response.Status);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    [Fact]
    public async Task LoginWithoutChapToATargetThatRequiresItFailsWithAuthenticationFailure()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice] });
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync(TestPortal.DiskTarget);

        Assert.Equal(LoginStatus.AuthenticationFailure, response.Status);
    }

    [Fact]
    public async Task LoginSkippingTheSecurityStageOfATargetThatRequiresChapFails()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice] });
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginStepAsync(
            LoginStage.LoginOperationalNegotiation,
            LoginStage.FullFeaturePhase,
            transit: true,
            [new("InitiatorName", TestInitiator.DefaultInitiatorName), new("TargetName", TestPortal.DiskTarget)]);

        Assert.Equal(LoginStatus.AuthenticationFailure, response.Status);
    }

    [Fact]
    public async Task LoginToAnUnknownTargetFailsWithNotFound()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync("iqn.2026-11.io.iscsicluster.test:nothing");

        Assert.Equal(LoginStatus.NotFound, response.Status);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    [Fact]
    public async Task ALoginTheClusterCannotDecideNowFailsWithServiceUnavailableWhichInitiatorsRetry()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        portal.Directory.Unavailable = "the node deciding for the target was just lost";
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync(TestPortal.DiskTarget);

        Assert.Equal(LoginStatus.ServiceUnavailable, response.Status);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    [Fact]
    public async Task LoginOfAnInitiatorTheAclRefusesFailsWithAuthorizationFailure()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { InitiatorAllowed = false });
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync(TestPortal.DiskTarget);

        Assert.Equal(LoginStatus.AuthorizationFailure, response.Status);
    }

    [Fact]
    public async Task LoginWithoutInitiatorNameFailsWithMissingParameter()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginStepAsync(
            LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, transit: true, [new("TargetName", TestPortal.DiskTarget), new("AuthMethod", "None")]);

        Assert.Equal(LoginStatus.MissingParameter, response.Status);
    }

    [Fact]
    public async Task LoginOfANormalSessionWithoutTargetNameFailsWithMissingParameter()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginStepAsync(
            LoginStage.SecurityNegotiation, LoginStage.LoginOperationalNegotiation, transit: true, [new("InitiatorName", TestInitiator.DefaultInitiatorName), new("AuthMethod", "None")]);

        Assert.Equal(LoginStatus.MissingParameter, response.Status);
    }

    [Fact]
    public async Task LoginAskingForAnUnsupportedVersionFails()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        await initiator.SendAsync(new LoginRequestPdu
        {
            Transit = true,
            CurrentStage = LoginStage.SecurityNegotiation,
            NextStage = LoginStage.LoginOperationalNegotiation,
            VersionMin = 1,
            VersionMax = 2,
            Isid = initiator.Isid,
            Data = TextEncoder.Encode([new("InitiatorName", TestInitiator.DefaultInitiatorName), new("TargetName", TestPortal.DiskTarget)]),
        });
        var response = await initiator.ReceiveAsync<LoginResponsePdu>();

        Assert.Equal(LoginStatus.UnsupportedVersion, response.Status);
    }

    [Fact]
    public async Task LoginTextContinuedOverTwoRequestsIsGatheredBeforeItIsAnswered()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        var text = TextEncoder.Encode([new("InitiatorName", TestInitiator.DefaultInitiatorName), new("TargetName", TestPortal.DiskTarget), new("AuthMethod", "None")]);

        await initiator.SendAsync(LoginPart(initiator, text.AsMemory(0, 20), @continue: true, transit: false));
        var partial = await initiator.ReceiveAsync<LoginResponsePdu>();
        await initiator.SendAsync(LoginPart(initiator, text.AsMemory(20), @continue: false, transit: true));
        var whole = await initiator.ReceiveAsync<LoginResponsePdu>();

        Assert.Equal(LoginStatus.Success, partial.Status);
        Assert.False(partial.Transit);
        Assert.True(partial.Data.IsEmpty);
        Assert.Equal(LoginStatus.Success, whole.Status);
        Assert.True(whole.Transit);
        Assert.Equal("None", TestInitiator.Parse(whole.Data)["AuthMethod"]);
    }

    [Fact]
    public async Task LoginWithBothTransitAndContinueBitsFailsWithInitiatorError()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        await initiator.SendAsync(LoginPart(initiator, TextEncoder.Encode([new("InitiatorName", TestInitiator.DefaultInitiatorName)]), @continue: true, transit: true));
        var response = await initiator.ReceiveAsync<LoginResponsePdu>();

        Assert.Equal(LoginStatus.InitiatorError, response.Status);
    }

    [Fact]
    public async Task LoginWithMalformedTextFailsWithInitiatorError()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        await initiator.SendAsync(LoginPart(initiator, "InitiatorName\0"u8.ToArray(), @continue: false, transit: true));
        var response = await initiator.ReceiveAsync<LoginResponsePdu>();

        Assert.Equal(LoginStatus.InitiatorError, response.Status);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    [Fact]
    public async Task ALoginRequestWithADataSegmentBeyondTheLoginLimitFailsWithInitiatorError()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        // RFC 7143 13.12: during login a data segment may be at most 8192 bytes.
        await initiator.SendAsync(LoginPart(initiator, TextEncoder.Encode([new("X-Padding", new string('p', 9000))]), @continue: false, transit: false));
        var response = await initiator.ReceiveAsync<LoginResponsePdu>();

        Assert.Equal(LoginStatus.InitiatorError, response.Status);
        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    [Fact]
    public async Task LoginNamingASessionThatDoesNotExistFailsWithSessionDoesNotExist()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync(TestPortal.DiskTarget, tsih: 0x7777);

        Assert.Equal(LoginStatus.SessionDoesNotExist, response.Status);
    }

    [Fact]
    public async Task ASecondConnectionToASessionIsRefusedWithTooManyConnections()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var first = await TestInitiator.ConnectAsync(portal.EndPoint);
        var opened = await first.LoginAsync(TestPortal.DiskTarget);
        await using var second = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await second.LoginAsync(TestPortal.DiskTarget, tsih: opened.Tsih);

        Assert.Equal(LoginStatus.TooManyConnections, response.Status);
    }

    [Fact]
    public async Task AConnectionThatNeverLogsInIsClosedAfterTheLoginTimeout()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, TestPortal.Settings("login-timeout = 200ms"));
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    [Fact]
    public async Task APduOtherThanALoginRequestBeforeLoginClosesTheConnection()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        await initiator.SendAsync(new NopOutPdu { Immediate = true, InitiatorTaskTag = 1 });

        Assert.True(await initiator.IsClosedByTargetAsync(Patience));
    }

    private static LoginRequestPdu LoginPart(TestInitiator initiator, ReadOnlyMemory<byte> text, bool @continue, bool transit) => new()
    {
        Transit = transit,
        Continue = @continue,
        CurrentStage = LoginStage.SecurityNegotiation,
        NextStage = LoginStage.LoginOperationalNegotiation,
        Isid = initiator.Isid,
        InitiatorTaskTag = 1,
        ConnectionId = 1,
        CmdSN = 1,
        Data = text,
    };

    private static ProtocolAccount Protocol(ChapAccount account) => new(account.User, account.Secret);
}
