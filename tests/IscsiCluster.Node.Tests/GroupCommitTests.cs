using System.Buffers.Binary;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Node.Luns;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Storage;
using Microsoft.Extensions.Logging.Abstractions;

using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// SIMPLE WRITEs that queue in a LUN actor's mailbox go to the store as one group, and nothing
/// that comes after them, in the same mailbox or on the device, misses them.
/// </summary>
public sealed class GroupCommitTests : NodeTestKit
{
    private const int Block = 512;
    private const ulong VolumeId = 9;
    private const int VolumeBlocks = 8192; // 4 MiB: room for a WRITE SAME the unit writes in several steps
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly ITNexus Nexus = new("iqn.2026-11.test:host", "iqn.2026-11.test:host,i,0x800000000001", "iqn.2026-11.test:target", 1, 1);

    private readonly string _directory = Directory.CreateTempSubdirectory("iscsi-cluster-group-").FullName;
    private readonly BlockStore _store;
    private readonly GroupCommit _groupCommit;
    private readonly StoreBlockDevice _device;

    public GroupCommitTests()
    {
        _store = BlockStore.Open(_directory);
        _store.CreateVolume(VolumeId, VolumeBlocks * Block);
        _groupCommit = new GroupCommit(_store, VolumeId);
        _device = new StoreBlockDevice(_store, VolumeId, Block, _groupCommit);
    }

    [Fact]
    public async Task AStagedWriteCompletesOnlyWhenCommittedAndAReadCommitsItFirst()
    {
        _groupCommit.BeginStaging();
        var first = _device.WriteAsync(0, Pattern(0x11), forceUnitAccess: false);
        var second = _device.WriteAsync(3, Pattern(0x22), forceUnitAccess: false);
        _groupCommit.EndStaging();
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);

        var read = new byte[4 * Block];
        await _device.ReadAsync(0, read);

        Assert.True(first.IsCompletedSuccessfully);
        Assert.True(second.IsCompletedSuccessfully);
        Assert.Equal(1, _groupCommit.GroupsCommitted);
        Assert.Equal(Pattern(0x11), read[..Block]);
        Assert.Equal(Pattern(0x22), read[(3 * Block)..]);
    }

    [Fact]
    public async Task AFailedCommitFailsEveryWriteOfTheGroup()
    {
        _groupCommit.BeginStaging();
        var first = _device.WriteAsync(0, Pattern(0x11), forceUnitAccess: false);
        var second = _device.WriteAsync(1, Pattern(0x22), forceUnitAccess: true);
        _groupCommit.EndStaging();
        _store.DeleteVolume(VolumeId);

        _groupCommit.Commit();

        await Assert.ThrowsAsync<VolumeNotFoundException>(async () => await first);
        await Assert.ThrowsAsync<VolumeNotFoundException>(async () => await second);
    }

    [Fact]
    public async Task AWriteOutsideStagingIsCommittedBeforeItReturnsBehindTheStagedOnes()
    {
        _groupCommit.BeginStaging();
        var staged = _device.WriteAsync(2, Pattern(0x11), forceUnitAccess: false);
        _groupCommit.EndStaging();

        var direct = _device.WriteAsync(2, Pattern(0x22), forceUnitAccess: false);

        Assert.True(direct.IsCompletedSuccessfully);
        Assert.True(staged.IsCompletedSuccessfully);
        var read = new byte[Block];
        _store.Read(VolumeId, 2 * Block, read);
        Assert.Equal(Pattern(0x22), read);
        await direct;
    }

    [Fact]
    public async Task ACommandThatWritesInSeveralStepsCompletes()
    {
        // WRITE SAME(16) over 2 MiB: the unit writes it 1 MiB at a time, the second write only
        // once the first is done, while the actor waits for the command.
        var lun = Sys.ActorOf(Props.Create(() => new LunActor(NewUnit(), NullLogger.Instance, _groupCommit)));
        await lun.Ask<CommandComplete>(Command([0x00, 0, 0, 0, 0, 0], default, tag: 1), Patience);
        var cdb = new byte[16];
        cdb[0] = 0x93;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(10), 4096);

        var done = await lun.Ask<CommandComplete>(Command(cdb, Pattern(0x6B), tag: 2), Patience);

        Assert.Equal(ScsiStatus.Good, done.Status);
        var read = new byte[Block];
        _store.Read(VolumeId, 4095L * Block, read);
        Assert.Equal(Pattern(0x6B), read);
    }

    [Fact]
    public async Task WritesQueuedBehindABusyActorShareOneCommit()
    {
        var (lun, gate) = await HeldLunAsync();

        for (var i = 0u; i < 8; i++)
        {
            lun.Tell(Command(Write10(i, 1), Pattern((byte)(i + 1)), tag: 10 + i), TestActor);
        }

        gate.Open();
        Assert.Equal(ScsiStatus.Good, (await ExpectMsgAsync<CommandComplete>(Patience)).Status); // the held command
        for (var i = 0; i < 8; i++)
        {
            Assert.Equal(ScsiStatus.Good, (await ExpectMsgAsync<CommandComplete>(Patience)).Status);
        }

        Assert.Equal(1, _groupCommit.GroupsCommitted);
        for (var i = 0; i < 8; i++)
        {
            var read = new byte[Block];
            _store.Read(VolumeId, i * Block, read);
            Assert.Equal(Pattern((byte)(i + 1)), read);
        }
    }

    [Fact]
    public async Task AReadQueuedBehindStagedWritesSeesThem()
    {
        var (lun, gate) = await HeldLunAsync();

        lun.Tell(Command(Write10(5, 1), Pattern(0x5A), tag: 10), TestActor);
        lun.Tell(Command(Read10(5, 1), default, tag: 11, dataIn: Block), TestActor);
        gate.Open();

        await ExpectMsgAsync<CommandComplete>(Patience); // the held command
        var answers = new[] { await ExpectMsgAsync<CommandComplete>(Patience), await ExpectMsgAsync<CommandComplete>(Patience) };
        Assert.Equal(Pattern(0x5A), answers.Single(a => a.TaskTag == 11).DataIn.ToArray());
    }

    [Fact]
    public async Task TaskManagementAndOrderedCommandsCommitTheWritesBeforeThem()
    {
        var (lun, gate) = await HeldLunAsync();

        lun.Tell(Command(Write10(1, 1), Pattern(0x31), tag: 10), TestActor);
        lun.Tell(new TaskManagementRequest(Nexus, 1, TaskManagementFunction.AbortTaskSet, 0), TestActor);
        lun.Tell(Command(Write10(2, 1), Pattern(0x32), tag: 11), TestActor);
        lun.Tell(Command(Write10(2, 1), Pattern(0x33), tag: 12, attribute: TaskAttribute.Ordered), TestActor);
        gate.Open();

        await ExpectMsgAsync<CommandComplete>(Patience); // the held command
        Assert.Equal(10u, (await ExpectMsgAsync<CommandComplete>(Patience)).TaskTag);
        Assert.Equal(TaskManagementResponse.FunctionComplete, (await ExpectMsgAsync<TaskManagementDone>(Patience)).Response);
        Assert.Equal(11u, (await ExpectMsgAsync<CommandComplete>(Patience)).TaskTag);
        Assert.Equal(12u, (await ExpectMsgAsync<CommandComplete>(Patience)).TaskTag);
        var read = new byte[2 * Block];
        _store.Read(VolumeId, Block, read);
        Assert.Equal(Pattern(0x31), read[..Block]);
        Assert.Equal(Pattern(0x33), read[Block..]);
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _store.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }

    /// <summary>A LUN actor over the store whose next command, a TEST UNIT READY, holds the actor's thread until the gate opens.</summary>
    private async Task<(IActorRef Lun, Gate Gate)> HeldLunAsync()
    {
        var gate = new Gate();
        var unit = new HoldingUnit(NewUnit(), gate);
        var lun = Sys.ActorOf(Props.Create(() => new LunActor(unit, NullLogger.Instance, _groupCommit)));
        await lun.Ask<CommandComplete>(Command([0x00, 0, 0, 0, 0, 0], default, tag: 1), Patience); // takes the power-on unit attention
        gate.Arm();
        lun.Tell(Command([0x00, 0, 0, 0, 0, 0], default, tag: 2), TestActor);
        Assert.True(gate.Entered.Wait(Patience), "the held command never started");
        return (lun, gate);
    }

    private DiskUnit NewUnit() => new(new LogicalUnitIdentity(VolumeId, "ISCSICLU", "TEST", "0001", "9"), _device);

    private static ExecuteCommand Command(byte[] cdb, ReadOnlyMemory<byte> dataOut, uint tag, int dataIn = 0, TaskAttribute attribute = TaskAttribute.Simple) =>
        new(Nexus, 1, tag, attribute, cdb, dataOut, dataIn);

    private static byte[] Pattern(byte value) => Enumerable.Repeat(value, Block).ToArray();

    private static byte[] Write10(uint lba, ushort blocks) => Rw10(0x2A, lba, blocks);

    private static byte[] Read10(uint lba, ushort blocks) => Rw10(0x28, lba, blocks);

    private static byte[] Rw10(byte opcode, uint lba, ushort blocks)
    {
        var cdb = new byte[10];
        cdb[0] = opcode;
        BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), lba);
        BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        return cdb;
    }

    /// <summary>Holds the thread of the next command that passes it until opened.</summary>
    private sealed class Gate
    {
        private readonly ManualResetEventSlim _open = new(initialState: true);

        public ManualResetEventSlim Entered { get; } = new();

        public void Arm() => _open.Reset();

        public void Open() => _open.Set();

        public void PassThrough()
        {
            if (!_open.IsSet)
            {
                Entered.Set();
                _open.Wait(Patience);
            }
        }
    }

    /// <summary>A unit that blocks in its next TEST UNIT READY while the gate is armed, so commands pile up in the actor's mailbox.</summary>
    private sealed class HoldingUnit(DiskUnit inner, Gate gate) : IScsiUnit
    {
        public ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default)
        {
            if (command.Cdb.Span[0] == 0x00)
            {
                gate.PassThrough();
            }

            return inner.ExecuteAsync(command, ct);
        }

        public bool MayOverlap(ExecuteCommand command) => inner.MayOverlap(command);

        public TaskManagementDone Manage(TaskManagementRequest request) => inner.Manage(request);

        public void OnNexusLost(ITNexus nexus) => inner.OnNexusLost(nexus);

        public void SetInventory(IReadOnlyList<ulong> luns) => inner.SetInventory(luns);
    }
}
