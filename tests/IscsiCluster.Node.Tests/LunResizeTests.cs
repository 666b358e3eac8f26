using System.Buffers.Binary;
using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Tests.Support;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Storage;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// <c>logicalunit update --params size=</c> on a running node: logged-in initiators are told
/// CAPACITY DATA HAS CHANGED (SBC-3 4.6) and see the new size without a restart, and it persists.
/// </summary>
public sealed class LunResizeTests
{
    private const int Block = 512;
    private const long InitialBytes = 64L << 20;
    private const long GrownBytes = 128L << 20;
    private const uint MarkedLba = 100;
    private const string Grow = "--op update --mode logicalunit --tid 1 --lun 1 --params size=128M";

    // SPC-4 4.5.3 fixed sense data (after the 2-byte SenseLength of the iSCSI data segment): key in byte 2, ASC/ASCQ in 12/13.
    private const int SenseLengthPrefix = 2;
    private const int SenseKeyOffset = SenseLengthPrefix + 2;
    private const int AscOffset = SenseLengthPrefix + 12;
    private const int AscqOffset = SenseLengthPrefix + 13;
    private const byte UnitAttention = 0x06;
    private const byte CapacityDataHasChangedAsc = 0x2A;
    private const byte CapacityDataHasChangedAscq = 0x09;

    [Fact]
    public async Task GrowingALunTellsEveryLoggedInSessionAndServesTheNewSizeWithItsOldData()
    {
        await using var node = await TestNode.StartAsync();
        await using var first = await LoggedInAsync(node, isid: 0x80_00_00_00_30_01UL);
        await using var second = await LoggedInAsync(node, isid: 0x80_00_00_00_30_02UL);
        var marker = new byte[Block];
        new Random(5).NextBytes(marker);
        await first.SendAsync(first.Command(TestInitiator.Write10(MarkedLba, 1), write: true, expectedLength: Block, immediateData: marker, lun: LunField(1)));
        Assert.Equal((byte)ScsiStatus.Good, (await ReceiveResponseAsync(first)).Status);

        await AdminCli.MustRunAsync(node.AdminSocket, Grow);

        // SBC-3 4.6: each I_T nexus is owed CAPACITY DATA HAS CHANGED, reported on one of its next commands. (The LUN's
        // owner restarts its replication on the new size, which also owes ASYMMETRIC ACCESS STATE CHANGED.)
        foreach (var initiator in new[] { first, second })
        {
            var attentions = new List<(byte Key, byte Asc, byte Ascq)>();
            for (var attempt = 0; attempt < 10; attempt++)
            {
                await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady(), lun: LunField(1)));
                var response = await ReceiveResponseAsync(initiator);
                if (response.Status == (byte)ScsiStatus.Good)
                {
                    break;
                }

                var sense = response.Data.Span;
                attentions.Add(((byte)(sense[SenseKeyOffset] & 0x0F), sense[AscOffset], sense[AscqOffset]));
            }

            Assert.Contains((UnitAttention, CapacityDataHasChangedAsc, CapacityDataHasChangedAscq), attentions);
            Assert.All(attentions, a => Assert.True(a.Key == UnitAttention || (a.Key, a.Asc, a.Ascq) == (0x02, 0x04, 0x0A), $"unexpected sense {a}"));
        }

        Assert.Equal(GrownBytes / Block - 1, await ReadCapacity16LastLbaAsync(first));
        Assert.Equal(GrownBytes / Block - 1, await ReadCapacity16LastLbaAsync(second));
        await first.SendAsync(first.Command(TestInitiator.Read10(MarkedLba, 1), read: true, expectedLength: Block, lun: LunField(1)));
        var (data, _, _) = await first.ReceiveReadAsync(Block);
        Assert.Equal(marker, data);

        var fresh = await ExternalTool.RunAsync("iscsi-readcapacity16", [node.Url(1)]);
        Assert.True(fresh.ExitCode == 0, fresh.All);
        Assert.Contains($"Total size:{GrownBytes}", fresh.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AGrownLunKeepsItsSizeAcrossARestart()
    {
        using var files = new TemporaryFiles();
        var data = files.Directory("data");
        await using (var node = await TestNode.StartAsync(dataDirectory: data))
        {
            await AdminCli.MustRunAsync(node.AdminSocket, Grow);
        }

        await using var restarted = await TestNode.StartAsync(dataDirectory: data);
        var result = await ExternalTool.RunAsync("iscsi-readcapacity16", [restarted.Url(1)]);

        Assert.True(result.ExitCode == 0, result.All);
        Assert.Contains($"Total size:{GrownBytes}", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ShrinkingALunIsRefusedWithoutForceAndAppliedWithIt()
    {
        await using var node = await TestNode.StartAsync();
        var shrink = "--op update --mode logicalunit --tid 1 --lun 1 --params size=32M".Split(' ');

        var refused = await AdminCli.RunAsync(node.AdminSocket, shrink);
        var unchanged = await ExternalTool.RunAsync("iscsi-readcapacity16", [node.Url(1)]);
        await AdminCli.MustRunAsync(node.AdminSocket, string.Join(' ', shrink) + " --force");
        var shrunk = await ExternalTool.RunAsync("iscsi-readcapacity16", [node.Url(1)]);

        Assert.Equal(22, refused.ExitCode);
        Assert.Contains("discards the data past its new end; repeat with --force", refused.Error, StringComparison.Ordinal);
        Assert.Contains("from 64 MiB to 32 MiB", refused.Error, StringComparison.Ordinal);
        Assert.Contains($"Total size:{InitialBytes}", unchanged.Output, StringComparison.Ordinal);
        Assert.True(shrunk.ExitCode == 0, shrunk.All);
        Assert.Contains($"Total size:{32L << 20}", shrunk.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AVolumeLeftAtAnotherSizeByACrashTakesTheStoredSizeWhenTheNodeStarts()
    {
        using var files = new TemporaryFiles();
        var data = files.Directory("data");
        await (await TestNode.StartAsync(dataDirectory: data)).DisposeAsync();

        // What a crash between resizing a LUN's volume and storing the configuration leaves behind.
        using (var store = BlockStore.Open(data))
        {
            store.ResizeVolume(LunVolume(store).Id, ReplicatedLayout.ReplicatedBytes(GrownBytes));
        }

        await (await TestNode.StartAsync(dataDirectory: data)).DisposeAsync();

        using (var store = BlockStore.Open(data))
        {
            Assert.Equal(ReplicatedLayout.ReplicatedBytes(InitialBytes), LunVolume(store).SizeBytes);
        }
    }

    /// <summary>The one LUN's volume (the other holds the cluster's configuration).</summary>
    private static VolumeInfo LunVolume(BlockStore store) => Assert.Single(store.ListVolumes(), v => v.Id != ConfigurationOwner.VolumeId);

    /// <summary>READ CAPACITY(16) (SBC-3 5.16: SERVICE ACTION IN(16) 9Eh/10h); returns the RETURNED LOGICAL BLOCK ADDRESS.</summary>
    private static async Task<long> ReadCapacity16LastLbaAsync(TestInitiator initiator)
    {
        const int ParameterDataLength = 32;
        var cdb = new byte[16];
        cdb[0] = 0x9E;
        cdb[1] = 0x10;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), ParameterDataLength);
        await initiator.SendAsync(initiator.Command(cdb, read: true, expectedLength: ParameterDataLength, lun: LunField(1)));
        var (data, status, _) = await initiator.ReceiveReadAsync(ParameterDataLength);
        Assert.True(
            status is ScsiDataInPdu { Status: (byte)ScsiStatus.Good } or ScsiResponsePdu { Status: (byte)ScsiStatus.Good },
            $"READ CAPACITY(16) ended with {status}");
        Assert.Equal(Block, BinaryPrimitives.ReadInt32BigEndian(data.AsSpan(8)));
        return BinaryPrimitives.ReadInt64BigEndian(data);
    }

    private static async Task<ScsiResponsePdu> ReceiveResponseAsync(TestInitiator initiator)
    {
        while (true)
        {
            if (await initiator.ReceiveAsync() is ScsiResponsePdu response)
            {
                return response;
            }
        }
    }

    /// <summary>Logs in and takes the unit attentions a new nexus is owed, so the next one seen is the resize's.</summary>
    private static async Task<TestInitiator> LoggedInAsync(TestNode node, ulong isid)
    {
        const int MaxPendingAttentions = 4;
        var initiator = await TestInitiator.ConnectAsync(node.Portal);
        initiator.Isid = isid;
        var login = await initiator.LoginAsync(TestNode.TargetName);
        Assert.Equal(LoginStatus.Success, login.Status);
        for (var attempt = 0; attempt < MaxPendingAttentions; attempt++)
        {
            await initiator.SendAsync(initiator.Command(TestInitiator.TestUnitReady(), lun: LunField(1)));
            if ((await ReceiveResponseAsync(initiator)).Status == (byte)ScsiStatus.Good)
            {
                return initiator;
            }
        }

        await initiator.DisposeAsync();
        throw new InvalidOperationException($"TEST UNIT READY still failed after {MaxPendingAttentions} attempts");
    }

    /// <summary>SAM-5 peripheral device addressing of a LUN below 256: the number in byte 1 of the 8-byte field.</summary>
    private static ulong LunField(byte lun) => (ulong)lun << 48;
}
