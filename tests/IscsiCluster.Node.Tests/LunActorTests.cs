using System.Buffers.Binary;
using Akka.Actor;
using Akka.TestKit;
using Akka.TestKit.Xunit2;
using IscsiCluster.Node.Luns;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging.Abstractions;

using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// The LUN actor runs its unit's commands one at a time, even when the backing store is slow; only
/// the medium transfers of SIMPLE READs and WRITEs overlap later commands, and task management
/// waits for them.
/// </summary>
public sealed class LunActorTests : NodeTestKit
{
    private const int Block = 512;
    private const long CounterLba = 7;
    private const int Writers = 4;
    private const int IncrementsPerWriter = 15;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly ITNexus Nexus = new("iqn.2026-11.test:host", "iqn.2026-11.test:host,i,0x800000000001", "iqn.2026-11.test:target", 1, 1);

    [Fact]
    public async Task CompareAndWriteIsAtomicAgainstConcurrentCommandsEvenWhenTheStoreYields()
    {
        // A device that yields inside every read leaves room between COMPARE AND WRITE's read and
        // its write: only the actor's one-command-at-a-time rule keeps two swaps from both winning.
        var device = new YieldingDevice(blockCount: 64);
        var unit = new DiskUnit(new LogicalUnitIdentity(42, "ISCSICLU", "TEST", "0001", "42"), device);
        var lun = Sys.ActorOf(Props.Create(() => new LunActor(unit, NullLogger.Instance)));
        await ExecuteAsync(lun, Cdb10(0x00, 0, 0), default); // TEST UNIT READY: takes the power-on unit attention

        var tag = 100u;
        async Task<int> IncrementAsync()
        {
            var miscompares = 0;
            for (var done = 0; done < IncrementsPerWriter;)
            {
                var read = await ExecuteAsync(lun, Cdb10(0x28, CounterLba, 1), default, Interlocked.Increment(ref tag), Block);
                var current = read.DataIn.ToArray();
                var data = new byte[2 * Block];
                current.CopyTo(data, 0);
                BinaryPrimitives.WriteUInt64LittleEndian(data.AsSpan(Block), BinaryPrimitives.ReadUInt64LittleEndian(current) + 1);
                var swap = await ExecuteAsync(lun, CompareAndWrite(CounterLba), data, Interlocked.Increment(ref tag));
                if (swap.Status == ScsiStatus.Good)
                {
                    done++;
                }
                else
                {
                    Assert.Equal(0x0E, swap.Sense.Span[2] & 0x0F); // MISCOMPARE, nothing else
                    miscompares++;
                }
            }

            return miscompares;
        }

        var miscompares = (await Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(IncrementAsync)))).Sum();

        Assert.Equal((ulong)(Writers * IncrementsPerWriter), BinaryPrimitives.ReadUInt64LittleEndian(device.Contents.AsSpan((int)CounterLba * Block)));
        Assert.True(miscompares > 0, "the writers never raced");
    }

    [Fact]
    public async Task AFailingStoreEndsTheCommandWithHardwareErrorAndTheActorKeepsServing()
    {
        var device = new YieldingDevice(blockCount: 64) { FailWrites = true };
        var unit = new DiskUnit(new LogicalUnitIdentity(43, "ISCSICLU", "TEST", "0001", "43"), device);
        var lun = Sys.ActorOf(Props.Create(() => new LunActor(unit, NullLogger.Instance)));
        await ExecuteAsync(lun, Cdb10(0x00, 0, 0), default);

        var write = await ExecuteAsync(lun, Cdb10(0x2A, 0, 1), new byte[Block], 2);
        var read = await ExecuteAsync(lun, Cdb10(0x28, 0, 1), default, 3, Block);

        Assert.Equal(ScsiStatus.CheckCondition, write.Status);
        Assert.Equal(0x04, write.Sense.Span[2] & 0x0F); // HARDWARE ERROR
        Assert.Equal(0x44, write.Sense.Span[12]);       // INTERNAL TARGET FAILURE
        Assert.Equal(ScsiStatus.Good, read.Status);
    }

    [Fact]
    public async Task AReadWaitingOnTheMediumDoesNotHoldBackLaterCommands()
    {
        var (lun, device) = await GatedLunAsync(44);

        lun.Tell(Command(Cdb10(0x28, 0, 8), default, tag: 1, dataIn: 8 * Block), TestActor);
        await device.ReadStarted.WaitAsync(Patience);
        lun.Tell(Command(Cdb10(0x2A, 16, 1), Pattern(0x5A), tag: 2), TestActor);
        lun.Tell(Command(Cdb10(0x28, 16, 1), default, tag: 3, dataIn: Block), TestActor);

        // The second read is small enough to be served at once; the first is still held.
        Assert.Equal(2u, (await ExpectMsgAsync<CommandComplete>(Patience)).TaskTag);
        var later = await ExpectMsgAsync<CommandComplete>(Patience);
        Assert.Equal(3u, later.TaskTag);
        Assert.Equal(Pattern(0x5A), later.DataIn.ToArray());

        device.OpenGate();
        var first = await ExpectMsgAsync<CommandComplete>(Patience);
        Assert.Equal(1u, first.TaskTag);
        Assert.Equal(ScsiStatus.Good, first.Status);
        Assert.Equal(8 * Block, first.DataIn.Length);
    }

    [Fact]
    public async Task TaskManagementIsAnsweredOnlyAfterTheReadsThatCameBeforeIt()
    {
        var (lun, device) = await GatedLunAsync(45);

        lun.Tell(Command(Cdb10(0x28, 0, 8), default, tag: 1, dataIn: 8 * Block), TestActor);
        await device.ReadStarted.WaitAsync(Patience);
        lun.Tell(new TaskManagementRequest(Nexus, 1, TaskManagementFunction.AbortTask, 1), TestActor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        device.OpenGate();
        Assert.Equal(1u, (await ExpectMsgAsync<CommandComplete>(Patience)).TaskTag);
        Assert.Equal(TaskManagementResponse.FunctionComplete, (await ExpectMsgAsync<TaskManagementDone>(Patience)).Response);
    }

    [Fact]
    public async Task AnOrderedCommandStartsOnlyAfterTheReadsBeforeIt()
    {
        var (lun, device) = await GatedLunAsync(46);

        lun.Tell(Command(Cdb10(0x28, 0, 8), default, tag: 1, dataIn: 8 * Block), TestActor);
        await device.ReadStarted.WaitAsync(Patience);
        lun.Tell(Command(Cdb10(0x2A, 0, 1), Pattern(0x77), tag: 2, attribute: TaskAttribute.Ordered), TestActor);
        await ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));

        device.OpenGate();
        var read = await ExpectMsgAsync<CommandComplete>(Patience);
        Assert.Equal(1u, read.TaskTag);
        Assert.Equal(new byte[Block], read.DataIn[..Block].ToArray()); // read before the ORDERED write
        Assert.Equal(2u, (await ExpectMsgAsync<CommandComplete>(Patience)).TaskTag);
        Assert.Equal(Pattern(0x77), device.Contents.AsSpan(0, Block).ToArray());
    }

    [Fact]
    public async Task ALunActorRestartedAfterAFailureKeepsItsUnitsReservation()
    {
        // Akka builds a restarted actor from the same Props arguments, so the unit (and the LUN's
        // SCSI state in it) outlives the failed actor; an initiator's reservation must not vanish.
        var device = new YieldingDevice(blockCount: 64);
        var unit = new FailingInventoryUnit(new DiskUnit(new LogicalUnitIdentity(45, "ISCSICLU", "TEST", "0001", "45"), device));
        var lun = Sys.ActorOf(Props.Create(() => new LunActor(unit, NullLogger.Instance)));
        await ExecuteAsync(lun, Cdb10(0x00, 0, 0), default); // TEST UNIT READY: takes the power-on unit attention
        var other = Nexus with { InitiatorName = "iqn.2026-11.test:other", InitiatorPortName = "iqn.2026-11.test:other,i,0x800000000002" };
        await lun.Ask<CommandComplete>(new ExecuteCommand(other, 1, 2, TaskAttribute.Simple, Cdb10(0x00, 0, 0), default, 0), Patience);

        var reserve = await ExecuteAsync(lun, [0x16, 0, 0, 0, 0, 0], default, tag: 3); // RESERVE(6), SPC-2
        Assert.Equal(ScsiStatus.Good, reserve.Status);

        await EventFilter.Exception<InvalidOperationException>(contains: FailingInventoryUnit.Failure).ExpectOneAsync(
            () =>
            {
                lun.Tell(new LunActor.SetInventory([0, 1, FailingInventoryUnit.FailingLun]));
                return Task.CompletedTask;
            });

        var read = await lun.Ask<CommandComplete>(new ExecuteCommand(other, 1, 4, TaskAttribute.Simple, Cdb10(0x28, 0, 1), default, Block), Patience);
        Assert.Equal(ScsiStatus.ReservationConflict, read.Status);
        var mine = await ExecuteAsync(lun, Cdb10(0x28, 0, 1), default, tag: 5, dataIn: Block);
        Assert.Equal(ScsiStatus.Good, mine.Status);
    }

    private async Task<(IActorRef Lun, GatedDevice Device)> GatedLunAsync(ulong id)
    {
        var device = new GatedDevice(blockCount: 64);
        var unit = new DiskUnit(new LogicalUnitIdentity(id, "ISCSICLU", "TEST", "0001", id.ToString(System.Globalization.CultureInfo.InvariantCulture)), device);
        var lun = Sys.ActorOf(Props.Create(() => new LunActor(unit, NullLogger.Instance)));
        await ExecuteAsync(lun, Cdb10(0x00, 0, 0), default); // TEST UNIT READY: takes the power-on unit attention
        return (lun, device);
    }

    private static ExecuteCommand Command(byte[] cdb, ReadOnlyMemory<byte> dataOut, uint tag, int dataIn = 0, TaskAttribute attribute = TaskAttribute.Simple) =>
        new(Nexus, 1, tag, attribute, cdb, dataOut, dataIn);

    private static byte[] Pattern(byte value) => Enumerable.Repeat(value, Block).ToArray();

    private static Task<CommandComplete> ExecuteAsync(IActorRef lun, byte[] cdb, ReadOnlyMemory<byte> dataOut, uint tag = 1, int dataIn = 0)
        => lun.Ask<CommandComplete>(new ExecuteCommand(Nexus, 1, tag, TaskAttribute.Simple, cdb, dataOut, dataIn), Patience);

    private static byte[] Cdb10(byte opcode, long lba, ushort blocks)
    {
        var cdb = new byte[opcode == 0x00 ? 6 : 10];
        cdb[0] = opcode;
        if (opcode != 0x00)
        {
            BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(2), (uint)lba);
            BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(7), blocks);
        }

        return cdb;
    }

    // SBC-3 5.2: COMPARE AND WRITE, one block.
    private static byte[] CompareAndWrite(long lba)
    {
        var cdb = new byte[16];
        cdb[0] = 0x89;
        BinaryPrimitives.WriteUInt64BigEndian(cdb.AsSpan(2), (ulong)lba);
        cdb[13] = 1;
        return cdb;
    }

    /// <summary>
    /// An in-memory device whose reads longer than one block wait, off the caller's thread, until
    /// the gate opens (the way the store hands long reads to the thread pool); short reads and
    /// writes are served at once.
    /// </summary>
    private sealed class GatedDevice(long blockCount) : IBlockDevice
    {
        private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _readStarted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public byte[] Contents { get; } = new byte[blockCount * Block];

        public Task ReadStarted => _readStarted.Task;

        public int BlockSize => Block;

        public long BlockCount => blockCount;

        public void OpenGate() => _gate.TrySetResult();

        public ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            if (destination.Length <= Block)
            {
                Contents.AsMemory((int)(lba * Block), destination.Length).CopyTo(destination);
                return ValueTask.CompletedTask;
            }

            return new ValueTask(Task.Run(async () =>
            {
                _readStarted.TrySetResult();
                await _gate.Task;
                Contents.AsMemory((int)(lba * Block), destination.Length).CopyTo(destination);
            }, cancellationToken));
        }

        public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
        {
            source.CopyTo(Contents.AsMemory((int)(lba * Block)));
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
    }

    /// <summary>A unit that throws out of the actor when its inventory names <see cref="FailingLun"/>: a failure the LUN actor does not catch.</summary>
    private sealed class FailingInventoryUnit(IScsiUnit inner) : IScsiUnit
    {
        public const ulong FailingLun = 999;
        public const string Failure = "inventory refused by the test";

        public ValueTask<CommandComplete> ExecuteAsync(ExecuteCommand command, CancellationToken ct = default) => inner.ExecuteAsync(command, ct);

        public bool MayOverlap(ExecuteCommand command) => inner.MayOverlap(command);

        public TaskManagementDone Manage(TaskManagementRequest request) => inner.Manage(request);

        public void OnNexusLost(ITNexus nexus) => inner.OnNexusLost(nexus);

        public void SetInventory(IReadOnlyList<ulong> luns)
        {
            if (luns.Contains(FailingLun))
            {
                throw new InvalidOperationException(Failure);
            }

            inner.SetInventory(luns);
        }
    }

    /// <summary>An in-memory device whose reads really yield (so a command awaits the store) and whose writes can fail.</summary>
    private sealed class YieldingDevice(long blockCount) : IBlockDevice
    {
        public byte[] Contents { get; } = new byte[blockCount * Block];

        public bool FailWrites { get; init; }

        public int BlockSize => Block;

        public long BlockCount => blockCount;

        public async ValueTask ReadAsync(long lba, Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            await Task.Delay(1, cancellationToken);
            Contents.AsMemory((int)(lba * Block), destination.Length).CopyTo(destination);
        }

        public ValueTask WriteAsync(long lba, ReadOnlyMemory<byte> source, bool forceUnitAccess, CancellationToken cancellationToken = default)
        {
            if (FailWrites)
            {
                throw new InvalidOperationException("the store is gone");
            }

            source.CopyTo(Contents.AsMemory((int)(lba * Block)));
            return ValueTask.CompletedTask;
        }

        public ValueTask FlushAsync(CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask UnmapAsync(long lba, long blockCount, CancellationToken cancellationToken = default)
        {
            Contents.AsSpan((int)(lba * Block), (int)(blockCount * Block)).Clear();
            return ValueTask.CompletedTask;
        }
    }
}
