using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Protocol.Text;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using static IscsiCluster.Iscsi.Tests.ScsiCommandTests;

namespace IscsiCluster.Iscsi.Tests;

/// <summary>Discovery sessions and SendTargets (RFC 7143 appendix C, 11.10, 11.11).</summary>
public sealed class DiscoveryTests : PortalTestKit
{
    [Fact]
    public async Task SendTargetsAllListsEveryTargetWithItsAddresses()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await DiscoveryAsync(portal);

        var text = await SendTargetsAsync(initiator, "All");

        Assert.Equal(
            [new("TargetName", TestPortal.DiskTarget), new("TargetAddress", $"127.0.0.1:{portal.EndPoint.Port},1")],
            text);
    }

    [Fact]
    public async Task SendTargetsLongerThanOnePduIsContinuedUntilTheInitiatorHasItAll()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        var names = Enumerable.Range(0, 40).Select(i => $"iqn.2026-11.io.iscsicluster.test:many-{i:d2}").ToArray();
        foreach (var name in names)
        {
            portal.Directory.Add(new TargetAccess(name, null, true, [], null, ActorRefs.Nobody, new Dictionary<ulong, IActorRef>(), ActorRefs.Nobody));
        }

        await using var initiator = await DiscoveryAsync(portal, Keys(("MaxRecvDataSegmentLength", "512")));

        await initiator.SendAsync(TextRequest(initiator, "SendTargets=All"));
        var parts = new List<byte>();
        var responses = 0;
        while (true)
        {
            var response = await initiator.ReceiveAsync<TextResponsePdu>();
            responses++;
            Assert.True(response.Data.Length <= 512);
            parts.AddRange(response.Data.ToArray());
            if (response.Final)
            {
                Assert.Equal(BasicHeaderSegment.ReservedTag, response.TargetTransferTag);
                break;
            }

            Assert.True(response.Continue);
            await initiator.SendAsync(new TextRequestPdu
            {
                Immediate = true,
                InitiatorTaskTag = response.InitiatorTaskTag,
                TargetTransferTag = response.TargetTransferTag,
                CmdSN = initiator.CmdSn,
                ExpStatSN = initiator.ExpStatSn,
            });
        }

        var pairs = Pairs(parts.ToArray());
        Assert.Equal([TestPortal.DiskTarget, .. names], pairs.Where(p => p.Key == "TargetName").Select(p => p.Value).Order(StringComparer.Ordinal));
        Assert.True(responses > 1);
    }

    [Fact]
    public async Task OtherTextKeysAreAnsweredNotUnderstood()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await DiscoveryAsync(portal);

        await initiator.SendAsync(TextRequest(initiator, "X-Vendor-Key=1"));
        var response = await initiator.ReceiveAsync<TextResponsePdu>();

        Assert.Equal("NotUnderstood", TestInitiator.Parse(response.Data)["X-Vendor-Key"]);
    }

    [Fact]
    public async Task SendTargetsWorksInANormalSessionToo()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await LoggedInAsync(portal);

        var text = await SendTargetsAsync(initiator, string.Empty);

        Assert.Contains(new TextKeyValue("TargetName", TestPortal.DiskTarget), text);
    }

    [Fact]
    public async Task ScsiCommandsInADiscoverySessionAreRejected()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        await using var initiator = await DiscoveryAsync(portal);

        await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady()));
        var reject = await initiator.ReceiveAsync<RejectPdu>();

        Assert.Equal(RejectReason.ProtocolError, reject.Reason);
    }

    [Fact]
    public async Task DiscoveryRequiresChapWhenTheDirectoryAsksForIt()
    {
        await using var portal = await TestPortal.StartAsync(Sys, CreateTestProbe().Ref);
        portal.Directory.Discovery = new DiscoveryAccess([new ChapAccount("seeker", "seeker-secret-123")], null);
        await using var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);

        var response = await initiator.LoginAsync(targetName: null);

        Assert.Equal(LoginStatus.AuthenticationFailure, response.Status);
    }

    private static async Task<TestInitiator> DiscoveryAsync(TestPortal portal, IEnumerable<TextKeyValue>? operational = null)
    {
        var initiator = await TestInitiator.ConnectAsync(portal.EndPoint);
        var response = await initiator.LoginAsync(targetName: null, operational);
        Assert.Equal(LoginStatus.Success, response.Status);
        return initiator;
    }

    private static async Task<IReadOnlyList<TextKeyValue>> SendTargetsAsync(TestInitiator initiator, string value)
    {
        await initiator.SendAsync(TextRequest(initiator, $"SendTargets={value}"));
        var response = await initiator.ReceiveAsync<TextResponsePdu>();
        Assert.True(response.Final);
        return Pairs(response.Data.ToArray());
    }

    /// <summary>SendTargets answers repeat keys (one TargetName per target), which the request parser refuses; split them here.</summary>
    private static List<TextKeyValue> Pairs(byte[] text)
    {
        Assert.Equal(0, text[^1]);
        return [.. System.Text.Encoding.UTF8.GetString(text, 0, text.Length - 1).Split('\0').Select(pair => pair.Split('=', 2)).Select(kv => new TextKeyValue(kv[0], kv[1]))];
    }

    private static TextRequestPdu TextRequest(TestInitiator initiator, string text) => new()
    {
        Immediate = true,
        InitiatorTaskTag = initiator.NextTaskTag++,
        CmdSN = initiator.CmdSn,
        ExpStatSN = initiator.ExpStatSn,
        Data = System.Text.Encoding.UTF8.GetBytes(text + "\0"),
    };
}
