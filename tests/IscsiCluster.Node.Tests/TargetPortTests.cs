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

/// <summary>A node's port of a target: binding the target entity's decision to its ports, a new map while a session (a probe) is logged in, retirement.</summary>
public sealed class TargetPortTests : NodeTestKit
{
    private const byte UnitAttentionKey = 0x6;
    private const int SenseKeyOffset = 2;
    private const int AscOffset = 12;
    private const int AscqOffset = 13;

    private static readonly ITNexus Nexus = new("iqn.2026-11.org.example:host", "iqn.2026-11.org.example:host,i,0x400000000001", TestNode.TargetName, 1, 1);

    private readonly string _directory = Directory.CreateTempSubdirectory("iscsi-cluster-target-").FullName;
    private readonly BlockStore _store;
    private readonly LunFactory _factory;

    public TargetPortTests()
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
        var target = Sys.ActorOf(Props.Create(() => new TargetPort(Runtime(definition, ports), _factory.Absent(definition.Name))));
        var session = CreateTestProbe("session");
        target.Tell(new SessionOpened(Nexus, session.Ref), session.Ref);
        var access = await target.Ask<TargetAccess>(new TargetPort.Bind(Admitted(definition)), Dilated(TimeSpan.FromSeconds(5)));
        var controller = access.Luns[0];
        Assert.Same(ports[1], access.Luns[1]);
        await ClearUnitAttentionsAsync(session, controller);

        var grown = new Dictionary<ulong, IActorRef>(ports) { [2] = CreateTestProbe("lun-2").Ref };
        target.Tell(new TargetPort.Configure(Runtime(definition.WithLun(Disk(2)), grown)));
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
    public async Task TheDecisionIsBoundToThisNodesPortsByLunIdAndKeepsItsAccounts()
    {
        var first = Disk(1);
        var second = Disk(2);
        var definition = Target(first).WithLun(second);
        var ports = new Dictionary<ulong, IActorRef> { [1] = CreateTestProbe("lun-1").Ref, [2] = CreateTestProbe("lun-2").Ref };
        var target = Sys.ActorOf(Props.Create(() => new TargetPort(Runtime(definition, ports), _factory.Absent(definition.Name))));

        // The entity maps the LUNs at other numbers than this node's copy does (its configuration is newer), and a LUN
        // this node has no port of yet: the session reaches the LUNs by their ids, and the unknown one as absent.
        var decision = Admitted(definition) with
        {
            LunIds = new Dictionary<ulong, ulong> { [5] = first.VolumeId!.Value, [7] = second.VolumeId!.Value, [9] = 0xFEED },
            IncomingAccounts = [new ChapAccount("user", "secret-of-twelve")],
        };
        var access = await target.Ask<TargetAccess>(new TargetPort.Bind(decision), Dilated(TimeSpan.FromSeconds(5)));

        Assert.Equal([0UL, 5UL, 7UL], access.Luns.Keys.Order());
        Assert.Same(ports[1], access.Luns[5]);
        Assert.Same(ports[2], access.Luns[7]);
        Assert.True(access.InitiatorAllowed);
        Assert.Equal("user", Assert.Single(access.IncomingAccounts).User);
        Assert.Same(target, access.Target);
    }

    [Fact]
    public async Task ARetiringTargetAdmitsNoOneWhateverTheDecision()
    {
        var definition = Target(Disk(1));
        var target = Sys.ActorOf(Props.Create(() => new TargetPort(Runtime(definition, new Dictionary<ulong, IActorRef>()), _factory.Absent(definition.Name))));
        var session = CreateTestProbe("session");
        target.Tell(new SessionOpened(Nexus, session.Ref), session.Ref);
        target.Tell(new TargetPort.Retire(TimeSpan.FromMinutes(5)));
        await session.ExpectMsgAsync<CloseSession>();

        var access = await target.Ask<TargetAccess>(new TargetPort.Bind(Admitted(definition)), Dilated(TimeSpan.FromSeconds(5)));

        Assert.False(access.InitiatorAllowed);
    }

    [Fact]
    public async Task ARetiredTargetAsksItsSessionsToCloseAndStopsWhenTheyHaveEnded()
    {
        var definition = Target(Disk(1));
        var target = Sys.ActorOf(Props.Create(() => new TargetPort(Runtime(definition, new Dictionary<ulong, IActorRef>()), _factory.Absent(definition.Name))));
        var session = CreateTestProbe("session");
        target.Tell(new SessionOpened(Nexus, session.Ref), session.Ref);
        Watch(target);

        target.Tell(new TargetPort.Retire(TimeSpan.FromMinutes(5)));
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
        new(definition, _factory.Controller(definition.Name), ports);

    private static AccessDecision Admitted(TargetDefinition definition) =>
        new(definition.Tid, true, definition.Name, null, true, [], null, definition.Luns.ToDictionary(l => l.Lun, l => l.VolumeId!.Value));

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
