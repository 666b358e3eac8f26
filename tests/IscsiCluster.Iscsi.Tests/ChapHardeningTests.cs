using System.Diagnostics;
using System.Net;
using IscsiCluster.Iscsi.Connections;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using Xunit.Abstractions;
using ProtocolAccount = IscsiCluster.Iscsi.Protocol.Chap.ChapAccount;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>CHAP against guessing and misconfiguration: failed logins get slower, one secret is never used both ways.</summary>
public sealed class ChapHardeningTests : PortalTestKit
{
    private readonly ITestOutputHelper _output;

    public ChapHardeningTests(ITestOutputHelper output)
        : base(output)
    {
        _output = output;
    }

    private static readonly ChapAccount Alice = new("alice", "alice-secret-1234");
    private static readonly ProtocolAccount WrongAlice = new("alice", "not-the-secret-000");
    private static readonly TimeSpan Delay = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task MutualChapIsRefusedWhenTheOutgoingSecretIsAnIncomingSecret()
    {
        var logs = new CapturingLoggerFactory();
        var sameSecret = new ChapAccount("target", Alice.Secret);
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, target: t => t with { IncomingAccounts = [Alice], OutgoingAccount = sameSecret }, loggerFactory: logs);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginWithChapAsync(TestPortal.DiskTarget, new ProtocolAccount(Alice.User, Alice.Secret), new ProtocolAccount(sameSecret.User, sameSecret.Secret));

        Assert.Equal(LoginStatus.AuthenticationFailure, response.Status);
        Assert.DoesNotContain("CHAP_R", TestInitiator.Parse(response.Data).Keys);
        Assert.Contains(logs.Lines, line => line.Message.Contains("same secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task FailedLoginsFromOneAddressAreAnsweredLaterAndLaterButNotThoseOfAnotherOrAfterASuccess()
    {
        var settings = TestPortal.Settings($"failed-login {{ free-failures = 1, first-delay = {Delay.TotalMilliseconds}ms, max-delay = {2 * Delay.TotalMilliseconds}ms }}");
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref, settings, target: t => t with { IncomingAccounts = [Alice] });

        var first = await FailedLoginAsync(portal, IPAddress.Loopback);
        var second = await FailedLoginAsync(portal, IPAddress.Loopback);
        var third = await FailedLoginAsync(portal, IPAddress.Loopback);
        var elsewhere = await FailedLoginAsync(portal, IPAddress.Parse("127.0.0.2"));
        await using (var good = await TestInitiator.ConnectAsync(portal.EndPoint))
        {
            Assert.Equal(LoginStatus.Success, (await good.LoginWithChapAsync(TestPortal.DiskTarget, new ProtocolAccount(Alice.User, Alice.Secret))).Status);
        }

        var afterSuccess = await FailedLoginAsync(portal, IPAddress.Loopback);

        _output.WriteLine($"failed logins took {first.TotalMilliseconds:F0}, {second.TotalMilliseconds:F0}, {third.TotalMilliseconds:F0} ms; another address {elsewhere.TotalMilliseconds:F0} ms; after a success {afterSuccess.TotalMilliseconds:F0} ms");
        Assert.True(second >= Delay * 0.9, $"the second failure took {second}");
        Assert.True(third >= Delay * 1.9, $"the third failure took {third}");
        Assert.True(first < third && elsewhere < third && afterSuccess < third, "a first failure waits less than a repeated one");
        Assert.True(elsewhere < Delay, $"another address waited {elsewhere}");
        Assert.True(afterSuccess < Delay, $"a failure after a success waited {afterSuccess}");
    }

    [Fact]
    public void TheDelayIsNothingForTheFreeFailuresThenDoublesUpToTheLast()
    {
        var failed = new FailedLogins(new FailedLoginSettings(3, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(4), TimeSpan.FromMinutes(10)));

        var delays = Enumerable.Range(1, 10).Select(n => failed.DelayAfter(n).TotalMilliseconds);

        Assert.Equal([0, 0, 0, 250, 500, 1000, 2000, 4000, 4000, 4000], delays);
        Assert.Equal(TimeSpan.FromSeconds(4), failed.DelayAfter(long.MaxValue));
    }

    [Fact]
    public void TheTableOfAddressesStaysBounded()
    {
        var failed = new FailedLogins(new FailedLoginSettings(0, TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10)));
        for (var i = 0; i < FailedLogins.MaxTracked + 100; i++)
        {
            failed.Failed(new IPAddress(BitConverter.GetBytes(0x0A000000 + i)));
        }

        // The newest address is still tracked: its second failure waits twice as long as its first.
        var newest = new IPAddress(BitConverter.GetBytes(0x0A000000 + FailedLogins.MaxTracked + 99));
        Assert.Equal(TimeSpan.FromMilliseconds(20), failed.Failed(newest));
        Assert.Equal(FailedLogins.MaxTracked, failed.TrackedCount);
    }

    private static async Task<TimeSpan> FailedLoginAsync(TestPortal portal, IPAddress from)
    {
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint, from);
        var clock = Stopwatch.StartNew();
        var response = await initiator.LoginWithChapAsync(TestPortal.DiskTarget, WrongAlice);
        Assert.Equal(LoginStatus.AuthenticationFailure, response.Status);
        return clock.Elapsed;
    }
}
