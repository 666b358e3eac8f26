using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Admin.Contracts.Model;
using IscsiCluster.Iscsi.Targets;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Tests.Support;
using IscsiCluster.Node.Targets;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Node.Tests;

/// <summary>A target actor told its new configuration while a session is logged in (the session is a probe).</summary>
public sealed class TargetActorTests : NodeTestKit
{
    private const byte UnitAttentionKey = 0x6;
    private const int SenseKeyOffset = 2;
    private const int AscOffset = 12;
    private const int AscqOffset = 13;

    private static readonly ITNexus Nexus = new("iqn.2026-11.org.example:host", "iqn.2026-11.org.example:host,i,0x400000000001", TestNode.TargetName, 1, 1);
    private static readonly InitiatorContext Initiator = new("iqn.2026-11.org.example:host", System.Net.IPAddress.Loopback);

    private readonly string _directory = Directory.CreateTempSubdirectory("iscsi-cluster-target-").FullName;
    private readonly BlockStore _store;
    private readonly LunFactory _factory;

    public TargetActorTests()
    {
        _store = BlockStore.Open(_directory);

        // Targets make only their controller and absent-LUN actors, which need nothing of the cluster.
        _factory = new LunFactory(new LunFactory.Parts(_store, null!, null!, null!, null!, null!, _ => { }, (_, _) => { }, LunDispatcher, NullLogger.Instance, NullLogger.Instance));
    }

    [Fact]
    public async Task AddingALunTellsTheSessionTheNewMapAndTheControllerRaisesReportedLunsDataHasChanged()
    {
        var definition = Target(Disk(1));
        var ports = new Dictionary<ulong, IActorRef> { [1] = CreateTestProbe("lun-1").Ref };
        var target = Sys.ActorOf(Props.Create(() => new TargetActor(Runtime(definition, ports), _factory.Absent(definition.Name))));
        var session = CreateTestProbe("session");
        target.Tell(new SessionOpened(Nexus, session.Ref), session.Ref);
        var access = await target.Ask<TargetAccess>(new TargetActor.GetAccess(Initiator), Dilated(TimeSpan.FromSeconds(5)));
        var controller = access.Luns[0];
        Assert.Same(ports[1], access.Luns[1]);
        await ClearUnitAttentionsAsync(session, controller);

        var grown = new Dictionary<ulong, IActorRef>(ports) { [2] = CreateTestProbe("lun-2").Ref };
        target.Tell(new TargetActor.Configure(Runtime(definition.WithLun(Disk(2)), grown)));
        var changed = await session.ExpectMsgAsync<LunMapChanged>();
        session.Send(controller, TestUnitReady(100));
        var answer = await session.ExpectMsgAsync<CommandComplete>();

        Assert.Equal([0UL, 1UL, 2UL], changed.Luns.Keys.Order());
        Assert.Same(ports[1], changed.Luns[1]);
        Assert.Same(controller, changed.Luns[0]);
        Assert.Equal(ScsiStatus.CheckCondition, answer.Status);
        var sense = answer.Sense.ToArray();
        Assert.Equal((UnitAttentionKey, (byte)0x3F, (byte)0x0E), ((byte)(sense[SenseKeyOffset] & 0x0F), sense[AscOffset], sense[AscqOffset]));
    }

    [Fact]
    public async Task AnOfflineTargetRefusesLoginsAndIsNotListed()
    {
        var definition = Target(Disk(1)) with { State = TargetState.Offline };
        var target = Sys.ActorOf(Props.Create(() => new TargetActor(Runtime(definition, new Dictionary<ulong, IActorRef>()), _factory.Absent(definition.Name))));

        var access = await target.Ask<TargetAccess>(new TargetActor.GetAccess(Initiator), Dilated(TimeSpan.FromSeconds(5)));
        var listing = await target.Ask<TargetActor.Listing>(new TargetActor.GetListing(Initiator), Dilated(TimeSpan.FromSeconds(5)));

        Assert.False(access.InitiatorAllowed);
        Assert.Null(listing.TargetName);
    }

    [Fact]
    public async Task ARetiredTargetAsksItsSessionsToCloseAndStopsWhenTheyHaveEnded()
    {
        var definition = Target(Disk(1));
        var target = Sys.ActorOf(Props.Create(() => new TargetActor(Runtime(definition, new Dictionary<ulong, IActorRef>()), _factory.Absent(definition.Name))));
        var session = CreateTestProbe("session");
        target.Tell(new SessionOpened(Nexus, session.Ref), session.Ref);
        Watch(target);

        target.Tell(new TargetActor.Retire(TimeSpan.FromMinutes(5)));
        await session.ExpectMsgAsync<CloseSession>();
        target.Tell(new SessionClosed(Nexus, session.Ref), session.Ref);

        await ExpectTerminatedAsync(target);
    }

    /// <summary>A new nexus first gets the unit attentions every unit owes it (power on, reset); TEST UNIT READY consumes them.</summary>
    private static async Task ClearUnitAttentionsAsync(TestProbe session, IActorRef lun)
    {
        for (uint tag = 1; tag < 10; tag++)
        {
            session.Send(lun, TestUnitReady(tag));
            if ((await session.ExpectMsgAsync<CommandComplete>()).Status == ScsiStatus.Good)
            {
                return;
            }
        }

        Assert.Fail("TEST UNIT READY never returned GOOD");
    }

    private static ExecuteCommand TestUnitReady(uint tag) => new(Nexus, 0, tag, TaskAttribute.Simple, new byte[6], ReadOnlyMemory<byte>.Empty, 0);

    private static TargetDefinition Target(LunDefinition lun) =>
        TargetDefinition.Create(1, TestNode.TargetName).WithLun(lun) with { InitiatorAddresses = ["ALL"] };

    private static LunDefinition Disk(ulong lun) =>
        new(lun, 1024 * 1024, 512, LunDefinition.ThinDescription, LunDefinition.StoreBsType, LunSource.Thin, LunIds.NewId());

    private TargetRuntime Runtime(TargetDefinition definition, IReadOnlyDictionary<ulong, IActorRef> ports) =>
        new(definition, [], null, _factory.Controller(definition.Name), ports);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _store.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
