using System.Buffers.Binary;
using IscsiCluster.Node.Luns;
using IscsiCluster.Scsi;
using IscsiCluster.Scsi.Commands;
using IscsiCluster.Scsi.Sam;
using IscsiCluster.Storage;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// A disk LUN as the node builds it: a <see cref="DiskUnit"/> over the node's
/// <see cref="StoreDevice"/> over a <see cref="BlockStore"/> (RocksDB, default options) in a
/// temporary directory, written in full once so that reads find data. Commands are READ(10) and
/// WRITE(10) of 4 KiB at random 4 KiB-aligned LBAs, precomputed so that building them is not measured.
/// </summary>
internal sealed class LunFixture : IDisposable
{
    private const int BlockSize = 512;
    private const int IoBytes = 4096;
    private const int BlocksPerIo = IoBytes / BlockSize;
    private const long VolumeBytes = 64L << 20;
    private const ulong VolumeId = 1;
    private const ulong Lun = 1;
    private const int CommandCount = 4096;
    private const int Cdb10Length = 10;
    private const int LbaOffset = 2;
    private const int TransferLength10Offset = 7;

    private static readonly ITNexus Nexus = new(
        "iqn.2026-11.io.iscsicluster:bench-initiator", "iqn.2026-11.io.iscsicluster:bench-initiator,i,0x1",
        "iqn.2026-11.io.iscsicluster:bench", TargetPortGroup: 1, RelativeTargetPortId: 1);

    private readonly string _directory;
    private readonly BlockStore _store;
    private readonly ExecuteCommand[] _reads;
    private readonly ExecuteCommand[] _writes;
    private int _nextRead;
    private int _nextWrite;

    private LunFixture(string directory, BlockStore store, DiskUnit unit, ExecuteCommand[] reads, ExecuteCommand[] writes)
    {
        _directory = directory;
        _store = store;
        Unit = unit;
        _reads = reads;
        _writes = writes;
    }

    public DiskUnit Unit { get; }

    public ExecuteCommand NextRead() => _reads[_nextRead++ % CommandCount];

    public ExecuteCommand NextWrite() => _writes[_nextWrite++ % CommandCount];

    public static async Task<LunFixture> CreateAsync()
    {
        var directory = Directory.CreateTempSubdirectory("iscsi-cluster-bench-").FullName;
        var store = BlockStore.Open(directory);
        store.CreateVolume(VolumeId, VolumeBytes);
        var device = new StoreDevice(store, VolumeId, BlockSize);
        var identity = new LogicalUnitIdentity(VolumeId, "BENCH", "DISK", "1", "bench-1");
        var unit = new DiskUnit(identity, device);

        var random = new Random(20261121);
        var data = Payload.Random(IoBytes);
        var ioCount = (int)(VolumeBytes / IoBytes);
        var reads = new ExecuteCommand[CommandCount];
        var writes = new ExecuteCommand[CommandCount];
        for (var i = 0; i < CommandCount; i++)
        {
            var lba = (uint)(random.Next(ioCount) * BlocksPerIo);
            reads[i] = Command(OpCode.Read10, lba, (uint)i, ReadOnlyMemory<byte>.Empty, IoBytes);
            writes[i] = Command(OpCode.Write10, lba, (uint)i, data, 0);
        }

        var fixture = new LunFixture(directory, store, unit, reads, writes);
        // The first command of a new nexus reports the power-on unit attention (SPC-4 6.47).
        await fixture.ExpectGoodAsync(Command(OpCode.TestUnitReady, 0, 0, ReadOnlyMemory<byte>.Empty, 0), attempts: 2);
        for (var i = 0; i < ioCount; i++)
        {
            await fixture.ExpectGoodAsync(Command(OpCode.Write10, (uint)(i * BlocksPerIo), (uint)i, data, 0), attempts: 1);
        }

        store.Flush();
        return fixture;
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task ExpectGoodAsync(ExecuteCommand command, int attempts)
    {
        for (var attempt = 1; ; attempt++)
        {
            var result = await Unit.ExecuteAsync(command);
            if (result.Status == ScsiStatus.Good)
            {
                return;
            }

            if (attempt == attempts)
            {
                throw new InvalidOperationException($"CDB 0x{command.Cdb.Span[0]:x2} ended with {result.Status}");
            }
        }
    }

    private static ExecuteCommand Command(byte opCode, uint lba, uint tag, ReadOnlyMemory<byte> dataOut, int dataInLength)
    {
        var cdb = new byte[Cdb10Length];
        cdb[0] = opCode;
        if (opCode != OpCode.TestUnitReady)
        {
            BinaryPrimitives.WriteUInt32BigEndian(cdb.AsSpan(LbaOffset), lba);
            BinaryPrimitives.WriteUInt16BigEndian(cdb.AsSpan(TransferLength10Offset), BlocksPerIo);
        }

        return new ExecuteCommand(Nexus, Lun, tag, TaskAttribute.Simple, cdb, dataOut, dataInLength);
    }
}
