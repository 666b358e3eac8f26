using BenchmarkDotNet.Attributes;
using IscsiCluster.Storage;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// The block store alone (no SCSI, no iSCSI, default options) serving the 128 KiB sequential
/// I/O of the side-by-side benchmark: a write of the next 128 KiB (not synced) and a read of the
/// next 128 KiB (one range scan) over a 256 MiB volume written in full, on one thread. A LUN's
/// writes reach the store one group at a time, so the write's time caps one LUN's sequential
/// writes; its time includes the stalls RocksDB imposes while its flushes and compactions (on
/// its own threads, on the same cores) catch up. Large reads run beside each other, but the
/// read's time (all CPU: the volume sits in the page cache) is spent on every one of them.
/// Either is a floor under the node's cost of a 128 KiB command, whatever the protocol path
/// costs.
/// </summary>
[MemoryDiagnoser]
public class StoreBenchmarks
{
    private const int IoBytes = 128 * 1024;
    private const long VolumeBytes = 256L << 20;
    private const ulong VolumeId = 1;

    private readonly byte[] _data = Payload.Random(IoBytes);
    private readonly byte[] _readBuffer = new byte[IoBytes];
    private string? _directory;
    private BlockStore? _store;
    private long _writeOffset;
    private long _readOffset;

    [GlobalSetup]
    public void Setup()
    {
        _directory = Directory.CreateTempSubdirectory("iscsi-cluster-bench-").FullName;
        _store = BlockStore.Open(_directory);
        _store.CreateVolume(VolumeId, VolumeBytes);
        for (long offset = 0; offset < VolumeBytes; offset += IoBytes)
        {
            _store.Write(VolumeId, offset, _data, sync: false);
        }

        _store.Flush();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store?.Dispose();
        if (_directory is not null)
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    [Benchmark]
    public void SequentialWriteOf128KiB()
    {
        Store.Write(VolumeId, _writeOffset, _data, sync: false);
        _writeOffset = (_writeOffset + IoBytes) % VolumeBytes;
    }

    [Benchmark]
    public void SequentialReadOf128KiB()
    {
        Store.Read(VolumeId, _readOffset, _readBuffer);
        _readOffset = (_readOffset + IoBytes) % VolumeBytes;
    }

    private BlockStore Store => _store ?? throw new InvalidOperationException("GlobalSetup has not run");
}
