using System.Text.Json;
using Akka.Actor;
using Akka.Cluster.Sharding;
using IscsiCluster.Admin.Contracts.Protocol;
using IscsiCluster.Admin.Transport;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// Three nodes in one cluster, reached with real initiators (libiscsi's tools, qemu-img): every portal is a path to the
/// same LUN, the configuration is the cluster's, and the data (with the LUN's own state: mode pages, unit attentions
/// owed) outlives the node that owned it.
/// </summary>
public sealed class ClusterTests
{
    private const int Bytes = 4 * 1024 * 1024;

    [Fact]
    public async Task EveryPortalIsAPathToTheSameBlocks()
    {
        using var files = new TemporaryFiles();
        await using var cluster = await TestCluster.StartAsync();

        // Discovery through any portal gives every node's portal, each in its own portal group (the node's number).
        var portal2 = cluster.Node(2).PortalEndPoint;
        var discovery = await ExternalTool.RunAsync("iscsi-ls", ["-s", $"iscsi://{portal2.Address}:{portal2.Port}"]);
        Assert.True(discovery.ExitCode == 0, discovery.All);
        for (var n = 1; n <= 3; n++)
        {
            var portal = cluster.Node(n).PortalEndPoint;
            Assert.Contains($"Target:{TestNode.TargetName} Portal:{portal.Address}:{portal.Port},{n}", discovery.Output);
        }

        // Written through one portal, read back identical through each of the others.
        var source = files.Random("source.raw", Bytes, seed: 13);
        await WriteAsync(source, cluster.Url(1, 1));
        for (var n = 2; n <= 3; n++)
        {
            Assert.True(await ReadsBackAsync(files, source, cluster.Url(n, 1)), $"node-{n}'s portal does not read what node-1's wrote");
        }
    }

    [Fact]
    public async Task AChangeMadeThroughOneNodeIsServedByEveryPortal()
    {
        await using var cluster = await TestCluster.StartAsync();
        const string second = "iqn.2026-11.io.iscsicluster.test:second";
        await AdminCli.MustRunAsync(cluster.AdminSocket(3), $"--lld iscsi --op new --mode target --tid 2 -T {second}");
        await AdminCli.MustRunAsync(cluster.AdminSocket(3), "--lld iscsi --op new --mode logicalunit --tid 2 --lun 1 --bsopts size=8M");
        await AdminCli.MustRunAsync(cluster.AdminSocket(3), "--lld iscsi --op bind --mode target --tid 2 -I ALL");

        // Node-1's administration shows it, and node-1's portal serves it.
        var show = await AdminCli.MustRunAsync(cluster.AdminSocket(1), "--lld iscsi --op show --mode target");
        Assert.Contains($"Target 2: {second}", show);
        var portal = cluster.Node(1).PortalEndPoint;
        var capacity = await ExternalTool.RunAsync("iscsi-readcapacity16", [$"iscsi://{portal.Address}:{portal.Port}/{second}/1"]);
        Assert.True(capacity.ExitCode == 0, capacity.All);
        Assert.Contains($"Total size:{8 * 1024 * 1024}", capacity.Output);

        // The cluster's status, asked of node-2, lists the three nodes up and the new LUN kept by all three.
        var status = await ClusterStatusAsync(cluster, 2);
        Assert.Equal("up,up,up", string.Join(",", status.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("state").GetString())));
        var lun = status.GetProperty("luns").EnumerateArray().Single(l => l.GetProperty("tid").GetInt32() == 2);
        Assert.Equal(3, lun.GetProperty("replicas").GetArrayLength());
    }

    [Fact]
    public async Task TheTargetIsDecidedByOneEntityAndLoginsGoOnWhenItsNodeIsLost()
    {
        await using var cluster = await TestCluster.StartAsync();

        // The first login, through any portal, starts the target's entity on one node only.
        var login = await ExternalTool.RunAsync("iscsi-readcapacity16", [cluster.Url(1, 1)]);
        Assert.True(login.ExitCode == 0, login.All);
        var decider = Assert.Single(await TargetEntityNodesAsync(cluster));

        // The node that decides logins to the target stops: its entity moves, and every survivor's portal logs in again.
        await cluster.StopNodeAsync(decider);
        var survivors = Enumerable.Range(1, 3).Where(n => n != decider).ToArray();
        foreach (var survivor in survivors)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while ((await ExternalTool.RunAsync("iscsi-readcapacity16", [cluster.Url(survivor, 1)])) is { ExitCode: not 0 } failed)
            {
                Assert.True(DateTime.UtcNow < deadline, $"node-{survivor}'s portal still refuses: {failed.All}");
                await Task.Delay(250);
            }
        }

        var moved = Assert.Single(await TargetEntityNodesAsync(cluster));
        Assert.Contains(moved, survivors);
    }

    /// <summary>The running nodes whose target region holds the test target's entity (tid 1).</summary>
    private static async Task<List<int>> TargetEntityNodesAsync(TestCluster cluster)
    {
        var holders = new List<int>();
        foreach (var node in Enumerable.Range(1, cluster.Count).Where(cluster.IsRunning))
        {
            var region = ClusterSharding.Get(cluster.Node(node).ActorSystem).ShardRegion("target");
            var state = await region.Ask<CurrentShardRegionState>(GetShardRegionState.Instance, TimeSpan.FromSeconds(10));
            if (state.Shards.Any(shard => shard.ShardId == "1" && shard.EntityIds.Contains("1")))
            {
                holders.Add(node);
            }
        }

        return holders;
    }

    [Fact]
    public async Task TheBlocksOutliveTheirOwnerAndReachTheNodeThatReturns()
    {
        using var files = new TemporaryFiles();
        await using var cluster = await TestCluster.StartAsync();
        var first = files.Random("first.raw", Bytes, seed: 17);
        await WriteAsync(first, cluster.Url(2, 1));

        // The owner stops; a survivor's portal still reads every acknowledged block and takes new writes.
        var owner = await OwnerAsync(cluster, 2);
        await cluster.StopNodeAsync(owner);
        var survivor = owner == 1 ? 2 : 1;

        // Until a new owner serves, the survivors answer ASYMMETRIC ACCESS STATE TRANSITION, which initiators retry.
        await WaitServedAsync(cluster.Url(survivor, 1));
        Assert.True(await ReadsBackAsync(files, first, cluster.Url(survivor, 1)), "blocks written before the owner stopped were lost");
        var second = files.Random("second.raw", Bytes, seed: 19);
        await WriteAsync(second, cluster.Url(survivor, 1));
        Assert.NotEqual(owner, await OwnerAsync(cluster, survivor));

        // The node returns, catches up, and its own portal reads what was written while it was away.
        await cluster.StartNodeAsync(owner);
        Assert.True(await ReadsBackAsync(files, second, cluster.Url(owner, 1)), "the returning node's portal does not read the writes it missed");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var replicas = (await ClusterStatusAsync(cluster, survivor)).GetProperty("luns")[0].GetProperty("replicas");
            var health = replicas.EnumerateArray().Select(r => r.GetProperty("health").GetString()).ToArray();
            if (health.All(h => h == "in-sync"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, $"the returning replica did not catch up: {replicas}");
            await Task.Delay(500);
        }
    }

    [Fact]
    public async Task AMultipathInitiatorLosesNothingWhenTheOwnerStopsUnderLoad()
    {
        await using var cluster = await TestCluster.StartAsync();
        var portals = Enumerable.Range(1, 3).Select(n => cluster.Node(n).PortalEndPoint.ToString()).ToArray();
        var workload = new Drill.Workload(portals, TestNode.TargetName, lun: 1, blocks: 256);
        workload.Prefill();

        // Writes and reads go on through every portal while the LUN's owner stops; the initiator moves to another path.
        using var stop = new CancellationTokenSource();
        var load = Task.Run(() => workload.Run(stop.Token));
        await Task.Delay(TimeSpan.FromSeconds(2));
        var owner = await OwnerAsync(cluster, 1);
        await cluster.StopNodeAsync(owner);
        var survivors = Enumerable.Range(1, 3).Where(n => n != owner).ToArray();
        await WaitServedAsync(cluster.Url(survivors[0], 1));
        await Task.Delay(TimeSpan.FromSeconds(2));
        stop.Cancel();
        var report = await load;

        Assert.True(report.Acknowledged > 0, "no write was acknowledged");
        Assert.True(report.Errors == 0, $"{report.Errors} I/O errors: {string.Join("; ", report.ErrorSamples)}");
        Assert.Equal(0, report.StaleReads);
        var (lost, samples) = workload.Verify([.. survivors.Select(n => portals[n - 1])]);
        Assert.True(lost == 0, $"{lost} acknowledged blocks lost: {string.Join("; ", samples)}");
    }

    [Fact]
    public async Task AWriteCacheClearedThroughOnePathIsClearedThroughAnotherOnceTheOwnerStopped()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await OwnerAsync(cluster, 1);
        var paths = Enumerable.Range(1, 3).Where(n => n != owner).ToArray();
        await using var one = await LoggedInAsync(cluster, paths[0], isid: 0x80_00_00_00_30_01UL);
        await using var other = await LoggedInAsync(cluster, paths[1], isid: 0x80_00_00_00_30_02UL);

        // MODE SELECT(6), PF, the caching page (SBC-3 6.4.5) with WCE cleared, through one path.
        var caching = new byte[20];
        caching[0] = 0x08;
        caching[1] = 0x12;
        byte[] parameters = [0, 0, 0, 0, .. caching];
        var (_, selected, _) = await RunPastAttentionsAsync(one, [0x15, 0x10, 0, 0, (byte)parameters.Length, 0], parameters);
        Assert.Equal(0, selected);
        Assert.False(await WriteCacheEnabledAsync(one));

        // The owner stops; through the other path, once a survivor owns the LUN, the page is as the first path left it, and
        // the MODE PARAMETERS CHANGED that path was owed by the first one's MODE SELECT is still owed.
        await cluster.StopNodeAsync(owner);
        var (seen, status, data) = await RunPastAttentionsAsync(other, ModeSenseCaching, dataIn: 255);
        Assert.Equal(0, status);
        Assert.True((data[4 + 2] & 0x04) == 0, $"the new owner reports WCE set (unit attentions seen: {string.Join(", ", seen)})");
        Assert.Contains(((byte)0x2A, (byte)0x01), seen);
        Assert.NotEqual(owner, await OwnerAsync(cluster, paths[0]));
    }

    [Fact]
    public async Task StatThroughAPortalCountsItsSessionsIoAtAnOwnerOnAnotherNode()
    {
        await using var cluster = await TestCluster.StartAsync();
        var owner = await OwnerAsync(cluster, 1);
        var path = owner == 1 ? 2 : 1;
        await using var session = await LoggedInAsync(cluster, path, isid: 0x80_00_00_00_40_01UL);

        // Three reads of one block each (READ(10), LUN 1), through a portal whose node does not own the LUN.
        for (var i = 0; i < 3; i++)
        {
            var (_, status, _) = await RunPastAttentionsAsync(session, [0x28, 0, 0, 0, 0, (byte)i, 0, 0, 1, 0], dataIn: 512);
            Assert.Equal(0, status);
        }

        var here = await StatisticsAsync(cluster, path);
        var atOwner = await StatisticsAsync(cluster, owner);

        var line = Assert.Single(here);
        Assert.Equal((1, 1UL), (line.Tid, line.Lun));
        Assert.True(line.ReadDoneCommands >= 3 && line.ReadDoneBytes >= 3 * 512, line.ToString());
        Assert.Empty(atOwner);                        // the owner's node has no session of its own
    }

    private static async Task<IReadOnlyList<LunStatistics>> StatisticsAsync(TestCluster cluster, int node)
    {
        var transport = new SocketAdminTransport(AdminEndpoint.UnixSocket(cluster.AdminSocket(node)));
        var stat = await transport.SendAsync(new AdmRequest(AdmMode.LogicalUnit, AdmOp.Stat) { Tid = 1, Lun = 1 }, null, CancellationToken.None);
        Assert.True(stat.Succeeded, stat.ToString());
        return stat.Payload?.Statistics ?? [];
    }

    /// <summary>MODE SENSE(6), DBD, the caching page: a 4-byte header, then the page; WCE is bit 2 of its byte 2.</summary>
    private static readonly byte[] ModeSenseCaching = [0x1A, 0x08, 0x08, 0, 255, 0];

    private static async Task<bool> WriteCacheEnabledAsync(TestInitiator initiator)
    {
        var (_, status, data) = await RunPastAttentionsAsync(initiator, ModeSenseCaching, dataIn: 255);
        Assert.Equal(0, status);
        return (data[4 + 2] & 0x04) != 0;
    }

    /// <summary>A session to the test target through node <paramref name="node"/>'s portal, past its nexus's first unit attention.</summary>
    private static async Task<TestInitiator> LoggedInAsync(TestCluster cluster, int node, ulong isid)
    {
        var initiator = await TestInitiator.ConnectAsync(cluster.Node(node).PortalEndPoint);
        initiator.Isid = isid;
        var login = await initiator.LoginAsync(TestNode.TargetName);
        Assert.Equal(LoginStatus.Success, login.Status);
        var (_, status, _) = await RunPastAttentionsAsync(initiator, TestInitiator.TestUnitReady());
        Assert.Equal(0, status);
        return initiator;
    }

    /// <summary>
    /// Runs a command on LUN 1 until it is answered with neither a unit attention nor NOT READY (a LUN in transition,
    /// which initiators retry), and returns the (ASC, ASCQ) of each unit attention seen, the final status and the data.
    /// </summary>
    private static async Task<(List<(byte Asc, byte Ascq)> Seen, byte Status, byte[] Data)> RunPastAttentionsAsync(
        TestInitiator initiator, byte[] cdb, byte[]? dataOut = null, int dataIn = 0)
    {
        const ulong lun = 1UL << 48;                      // SAM-5 peripheral device addressing: LUN 1 in byte 1
        var seen = new List<(byte, byte)>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            await initiator.SendAsync(dataOut is null
                ? initiator.Command(cdb, read: dataIn > 0, expectedLength: (uint)dataIn, lun: lun)
                : initiator.Command(cdb, write: true, expectedLength: (uint)dataOut.Length, immediateData: dataOut, lun: lun));
            var data = new byte[dataIn];
            ScsiResponsePdu? response = null;
            while (response is null)
            {
                switch (await initiator.ReceiveAsync(TimeSpan.FromSeconds(30)))
                {
                    case ScsiDataInPdu dataInPdu:
                        dataInPdu.Data.Span.CopyTo(data.AsSpan((int)dataInPdu.BufferOffset));
                        if (dataInPdu.HasStatus)
                        {
                            return (seen, dataInPdu.Status, data);
                        }

                        break;
                    case ScsiResponsePdu answer:
                        response = answer;
                        break;
                }
            }

            // CHECK CONDITION: the data segment is SenseLength (2 bytes), then fixed format sense data.
            if (response.Status != 0x02)
            {
                return (seen, response.Status, data);
            }

            var sense = response.Data.Span[2..];
            var key = sense[2] & 0x0F;
            Assert.True(key is 0x06 or 0x02, $"unexpected sense {Convert.ToHexString(sense)}");
            Assert.True(DateTime.UtcNow < deadline, $"still answered {Convert.ToHexString(sense)} after a minute");
            if (key == 0x06)
            {
                seen.Add((sense[12], sense[13]));
            }
            else
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>Retries READ CAPACITY the way a multipath initiator retries a LUN in transition, until it is answered.</summary>
    private static async Task WaitServedAsync(string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var capacity = await ExternalTool.RunAsync("iscsi-readcapacity16", [url]);
            if (capacity.ExitCode == 0)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} is still not served: {capacity.All}");
            Assert.Contains("0x040a", capacity.All);
            await Task.Delay(250);
        }
    }

    private static async Task WriteAsync(string source, string url)
    {
        var write = await ExternalTool.RunAsync("qemu-img", ["convert", "-n", "-f", "raw", "-O", "raw", source, url]);
        Assert.True(write.ExitCode == 0, write.All);
    }

    private static async Task<bool> ReadsBackAsync(TemporaryFiles files, string source, string url)
    {
        var copy = files.Path($"copy-{Guid.NewGuid():N}.raw");
        var read = await ExternalTool.RunAsync("qemu-img", ["convert", "-f", "raw", "-O", "raw", url, copy]);
        Assert.True(read.ExitCode == 0, read.All);
        var expected = await File.ReadAllBytesAsync(source);
        var actual = await File.ReadAllBytesAsync(copy);
        return actual.Length >= expected.Length && expected.AsSpan().SequenceEqual(actual.AsSpan(0, expected.Length));
    }

    /// <summary>The <c>cluster</c> object of <c>--op show --mode cluster --output json</c>, asked of node <paramref name="node"/>.</summary>
    private static async Task<JsonElement> ClusterStatusAsync(TestCluster cluster, int node)
    {
        var output = await AdminCli.MustRunAsync(cluster.AdminSocket(node), "--op show --mode cluster --output json");
        return JsonDocument.Parse(output).RootElement.GetProperty("payload").GetProperty("cluster").Clone();
    }

    /// <summary>The node that owns the test target's LUN 1, as the cluster's status tells it.</summary>
    private static async Task<int> OwnerAsync(TestCluster cluster, int askedOf)
    {
        var status = await ClusterStatusAsync(cluster, askedOf);
        var lun = status.GetProperty("luns").EnumerateArray().Single(l => l.GetProperty("tid").GetInt32() == 1 && l.GetProperty("lun").GetInt32() == 1);
        return lun.GetProperty("owner").GetInt32();
    }
}
