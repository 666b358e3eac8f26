using System.Buffers.Binary;
using Akka.Actor;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Hosting;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Tests.Support;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// A replicated LUN's owner (the sharded entity) on a running node, driven by SCSI commands sent straight to it. Restarted
/// by its supervisor after a failure, it keeps its unit and so every nexus's state; made anew, it reads back the mode pages
/// and the unit attentions owed that the last owner saved with the blocks, owes every nexus POWER ON, RESET, OR BUS
/// DEVICE RESET OCCURRED and has no SPC-2 reservation, as after a power on. In a group of writes, one
/// outside the owner's address space is refused alone. With the write cache off an UNMAP is synced before it is answered.
/// </summary>
public sealed class ReplicatedLunOwnerTests
{
    private const int Block = 512;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    // Sense keys and codes (SPC-4 4.5.6, table 28; fixed format: key in byte 2, ASC/ASCQ in bytes 12/13).
    private const byte NotReady = 0x02;
    private const byte IllegalRequest = 0x05;
    private const byte UnitAttention = 0x06;
    private static readonly (byte Key, byte Asc, byte Ascq) PowerOnReset = (UnitAttention, 0x29, 0x00);
    private static readonly (byte Key, byte Asc, byte Ascq) ModeParametersChanged = (UnitAttention, 0x2A, 0x01);

    private static readonly ITNexus First = new("iqn.2026-12.test:first", "iqn.2026-12.test:first,i,0x800000000001", TestNode.TargetName, 1, 1);
    private static readonly ITNexus Second = new("iqn.2026-12.test:second", "iqn.2026-12.test:second,i,0x800000000002", TestNode.TargetName, 1, 1);

    private uint _tag;

    [Fact]
    public async Task AnOwnerRestartedByItsSupervisorKeepsUnitAttentionsSpc2ReservationsAndModePages()
    {
        await using var node = await TestNode.StartAsync();
        var (owner, lunId) = await OwnerAsync(node);
        await SeedStateAsync(owner);
        var epoch = await EpochAsync(owner);

        // A message the unit refuses by throwing (a LUN number SAM-5 cannot encode): the owner fails and is restarted.
        owner.Tell(new LunActor.SetInventory([0, 1, ulong.MaxValue]));
        await WaitUntilAsync(async () => await EpochAsync(owner) > epoch, "the owner was not restarted into a new epoch");
        Assert.Equal(owner, await ResolveOwnerAsync(node.Host.ActorSystem, lunId));

        // The second nexus is still owed the MODE PARAMETERS CHANGED the first one's MODE SELECT raised, and not a reset.
        var (secondSeen, secondRead) = await RunPastAttentionsAsync(owner, Second, Read10(0, 1), dataIn: Block);
        Assert.Contains(ModeParametersChanged, secondSeen);
        Assert.DoesNotContain(PowerOnReset, secondSeen);
        Assert.Equal(ScsiStatus.ReservationConflict, secondRead.Status);

        var (firstSeen, firstRead) = await RunPastAttentionsAsync(owner, First, Read10(0, 1), dataIn: Block);
        Assert.DoesNotContain(PowerOnReset, firstSeen);
        Assert.Equal(ScsiStatus.Good, firstRead.Status);
        Assert.False(await WriteCacheEnabledAsync(owner, First), "the cleared WCE bit came back after the restart");
    }

    [Fact]
    public async Task AnOwnerMadeAnewKeepsModePagesAndTheAttentionsOwedButNoSpc2Reservation()
    {
        await using var node = await TestNode.StartAsync();
        var (owner, lunId) = await OwnerAsync(node);
        await SeedStateAsync(owner);

        // Passivated (as when its LUN moves or its node is lost): the next owner is built from new Props, with a fresh unit.
        owner.Tell(LunActor.Restart.Instance);
        var region = Akka.Cluster.Sharding.ClusterSharding.Get(node.Host.ActorSystem).ShardRegion("lun");
        IActorRef? fresh = null;
        await WaitUntilAsync(
            async () =>
            {
                region.Tell(new WakeLun(lunId));
                fresh = await TryResolveOwnerAsync(node.Host.ActorSystem, lunId);
                return fresh is not null && !fresh.Equals(owner);
            },
            "no new owner was made");

        var seenBy = new Dictionary<ITNexus, List<(byte Key, byte Asc, byte Ascq)>>();
        foreach (var nexus in new[] { First, Second })
        {
            var (seen, read) = await RunPastAttentionsAsync(fresh!, nexus, Read10(0, 1), dataIn: Block);
            Assert.Contains(PowerOnReset, seen);
            Assert.Equal(ScsiStatus.Good, read.Status);
            seenBy[nexus] = seen;
        }

        // The second nexus, not the first whose MODE SELECT raised it, is still owed MODE PARAMETERS CHANGED; and the
        // write cache the first cleared is cleared through the second's path too.
        Assert.Contains(ModeParametersChanged, seenBy[Second]);
        Assert.DoesNotContain(ModeParametersChanged, seenBy[First]);
        Assert.False(await WriteCacheEnabledAsync(fresh!, Second), "the new owner reports the write cache the last one had disabled as enabled");
    }

    [Fact]
    public async Task AWriteOutsideTheOwnersAddressSpaceFailsAloneAndTheOthersOfItsGroupCommit()
    {
        await using var node = await TestNode.StartAsync();
        var (owner, lunId) = await OwnerAsync(node);
        await RunPastAttentionsAsync(owner, First, TestUnitReady());

        // The volume's record grows before the owner takes the new size (its address space is fixed for its life), so
        // the unit's range check lets a write past the owner's end through to the device.
        var store = node.Host.Services.GetRequiredService<NodeStorage>().Store;
        Assert.True(store.TryGetVolume(lunId, out var volume));
        var ownerBlocks = ReplicatedLayout.LunBytes(volume.SizeBytes) / Block;
        store.ResizeVolume(lunId, volume.SizeBytes + (1 << 20));
        await RunPastAttentionsAsync(owner, First, TestUnitReady());

        var first = Pattern(1);
        var last = Pattern(2);
        var writes = new[]
        {
            owner.Ask<CommandComplete>(Command(First, Write10(10, 1), first), Patience),
            owner.Ask<CommandComplete>(Command(First, Write10(ownerBlocks, 1), Pattern(3)), Patience),
            owner.Ask<CommandComplete>(Command(First, Write10(20, 1), last), Patience),
        };
        var answers = await Task.WhenAll(writes);

        Assert.Equal(ScsiStatus.Good, answers[0].Status);
        Assert.Equal((IllegalRequest, (byte)0x21, (byte)0x00), SenseOf(answers[1]));
        Assert.Equal(ScsiStatus.Good, answers[2].Status);
        Assert.Equal(first, (await owner.Ask<CommandComplete>(Command(First, Read10(10, 1), default, Block), Patience)).DataIn.ToArray());
        Assert.Equal(last, (await owner.Ask<CommandComplete>(Command(First, Read10(20, 1), default, Block), Patience)).DataIn.ToArray());
    }

    [Fact]
    public async Task AnUnmapWithTheWriteCacheOffIsSyncedBeforeItIsAnswered()
    {
        await using var node = await TestNode.StartAsync();
        var (owner, _) = await OwnerAsync(node);
        var store = node.Host.Services.GetRequiredService<NodeStorage>().Store;
        await RunPastAttentionsAsync(owner, First, TestUnitReady());
        Assert.Equal(ScsiStatus.Good, (await owner.Ask<CommandComplete>(Command(First, Write10(100, 1), Pattern(4)), Patience)).Status);
        await ClearWriteCacheAsync(owner);

        // UNMAP, one descriptor (SBC-3 5.28.2): LBA 100, one block.
        var list = new byte[24];
        BinaryPrimitives.WriteUInt16BigEndian(list, 22);
        BinaryPrimitives.WriteUInt16BigEndian(list.AsSpan(2), 16);
        BinaryPrimitives.WriteUInt64BigEndian(list.AsSpan(8), 100);
        BinaryPrimitives.WriteUInt32BigEndian(list.AsSpan(16), 1);
        var before = WalSyncs(store);
        var unmap = await owner.Ask<CommandComplete>(Command(First, [0x42, 0, 0, 0, 0, 0, 0, 0, (byte)list.Length, 0], list), Patience);
        var after = WalSyncs(store);

        Assert.Equal(ScsiStatus.Good, unmap.Status);
        Assert.True(after > before, $"the unmap was answered with no WAL sync on the replica ({before} syncs and flushes before, {after} after)");
        Assert.Equal(new byte[Block], (await owner.Ask<CommandComplete>(Command(First, Read10(100, 1), default, Block), Patience)).DataIn.ToArray());
    }

    /// <summary>
    /// WAL syncs since the store opened: synced writes (the "Cumulative WAL" line of rocksdb.dbstats) and flushes (a replica
    /// asked to sync what it already wrote).
    /// </summary>
    private static long WalSyncs(BlockStore store)
    {
        var stats = store.GetProperty("rocksdb.dbstats") ?? throw new InvalidOperationException("no rocksdb.dbstats");
        var match = System.Text.RegularExpressions.Regex.Match(stats, @"Cumulative WAL: \S+ writes, (\d+)(K?) syncs");
        Assert.True(match.Success, stats);
        var syncedWrites = long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) * (match.Groups[2].Value == "K" ? 1000 : 1);
        return syncedWrites + store.FlushCount;
    }

    /// <summary>MODE SELECT(6), PF, with the caching page (SBC-3 6.4.5) and WCE cleared.</summary>
    private async Task ClearWriteCacheAsync(IActorRef owner)
    {
        var caching = new byte[20];
        caching[0] = 0x08;
        caching[1] = 0x12;
        byte[] parameters = [0, 0, 0, 0, .. caching];
        var select = await owner.Ask<CommandComplete>(Command(First, [0x15, 0x10, 0, 0, (byte)parameters.Length, 0], parameters), Patience);
        Assert.Equal(ScsiStatus.Good, select.Status);
        Assert.False(await WriteCacheEnabledAsync(owner, First));
    }

    /// <summary>
    /// Both nexuses have seen the LUN; the first holds an SPC-2 reservation and cleared WCE with MODE SELECT, which owes
    /// the second MODE PARAMETERS CHANGED (SPC-4 7.5.2), left pending.
    /// </summary>
    private async Task SeedStateAsync(IActorRef owner)
    {
        await RunPastAttentionsAsync(owner, First, TestUnitReady());
        await RunPastAttentionsAsync(owner, Second, TestUnitReady());
        Assert.Equal(ScsiStatus.Good, (await RunPastAttentionsAsync(owner, First, [0x16, 0, 0, 0, 0, 0])).Result.Status); // RESERVE(6)

        await ClearWriteCacheAsync(owner);
    }

    private async Task<bool> WriteCacheEnabledAsync(IActorRef owner, ITNexus nexus)
    {
        // MODE SENSE(6), caching page: 4-byte header, then the page; WCE is bit 2 of its byte 2 (SBC-3 6.4.5).
        var (_, sense) = await RunPastAttentionsAsync(owner, nexus, [0x1A, 0x08, 0x08, 0, 255, 0], dataIn: 255);
        Assert.Equal(ScsiStatus.Good, sense.Status);
        return (sense.DataIn.Span[4 + 2] & 0x04) != 0;
    }

    /// <summary>
    /// Runs the command until it is neither answered with a unit attention nor NOT READY (the owner starting its epoch),
    /// and returns the sense of each attention seen on the way with the final answer.
    /// </summary>
    private async Task<(List<(byte Key, byte Asc, byte Ascq)> Seen, CommandComplete Result)> RunPastAttentionsAsync(
        IActorRef owner, ITNexus nexus, byte[] cdb, int dataIn = 0)
    {
        var seen = new List<(byte Key, byte Asc, byte Ascq)>();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var answer = await owner.Ask<CommandComplete>(Command(nexus, cdb, default, dataIn), Patience);
            if (answer.Status != ScsiStatus.CheckCondition)
            {
                return (seen, answer);
            }

            var sense = SenseOf(answer);
            if (sense.Key == UnitAttention)
            {
                seen.Add(sense);
            }
            else if (sense.Key == NotReady)
            {
                await Task.Delay(50);
            }
            else
            {
                return (seen, answer);
            }
        }

        throw new InvalidOperationException($"the owner kept answering unit attentions or NOT READY: {string.Join(", ", seen)}");
    }

    private static (byte Key, byte Asc, byte Ascq) SenseOf(CommandComplete answer) =>
        answer.Sense.IsEmpty ? default : ((byte)(answer.Sense.Span[2] & 0x0F), answer.Sense.Span[12], answer.Sense.Span[13]);

    private static async Task<(IActorRef Owner, ulong LunId)> OwnerAsync(TestNode node)
    {
        var configuration = node.Host.Services.GetRequiredService<ClusterConfigurationView>();
        var lunId = configuration.Current.Targets.Single().Luns.Single().VolumeId ?? throw new InvalidOperationException("the LUN has no id");
        return (await ResolveOwnerAsync(node.Host.ActorSystem, lunId), lunId);
    }

    private static async Task<IActorRef> ResolveOwnerAsync(ActorSystem system, ulong lunId)
    {
        IActorRef? owner = null;
        await WaitUntilAsync(async () => (owner = await TryResolveOwnerAsync(system, lunId)) is not null, "the LUN has no owner");
        return owner!;
    }

    /// <summary>The owner entity: one LUN per shard, both named by the LUN's id (<see cref="LunMessageExtractor"/>).</summary>
    private static async Task<IActorRef?> TryResolveOwnerAsync(ActorSystem system, ulong lunId)
    {
        var id = LunMessageExtractor.EntityIdOf(lunId);
        try
        {
            return await system.ActorSelection($"/system/sharding/lun/{id}/{id}").ResolveOne(TimeSpan.FromSeconds(1));
        }
        catch (ActorNotFoundException)
        {
            return null;
        }
    }

    private static async Task<long> EpochAsync(IActorRef owner) =>
        (await owner.Ask<OwnerStatusReport>(new GetOwnerStatus(0), Patience)).Epoch;

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }

    private ExecuteCommand Command(ITNexus nexus, byte[] cdb, ReadOnlyMemory<byte> dataOut, int dataIn = 0) =>
        new(nexus, 1, Interlocked.Increment(ref _tag), TaskAttribute.Simple, cdb, dataOut, dataIn);

    private static byte[] TestUnitReady() => new byte[6];

    private static byte[] Read10(long lba, ushort blocks) => Rw10(0x28, lba, blocks);

    private static byte[] Write10(long lba, ushort blocks) => Rw10(0x2A, lba, blocks);

    private static byte[] Rw10(byte opcode, long lba, ushort blocks)
    {
        var cdb = new byte[10];
        cdb[0] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), (uint)lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    private static byte[] Pattern(byte seed) => [.. Enumerable.Range(0, Block).Select(i => (byte)(i * 7 + seed))];
}
