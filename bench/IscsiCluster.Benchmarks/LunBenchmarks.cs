using BenchmarkDotNet.Attributes;
using IscsiCluster.Scsi.Sam;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// One 4 KiB READ(10) or WRITE(10) through the SCSI command set and the RocksDB block store,
/// without the actor around it: what a LUN actor spends per command in its own turn.
/// </summary>
[MemoryDiagnoser]
public class LunBenchmarks
{
    private LunFixture? _lun;

    [GlobalSetup]
    public async Task SetupAsync() => _lun = await LunFixture.CreateAsync();

    [GlobalCleanup]
    public void Cleanup() => _lun?.Dispose();

    [Benchmark]
    public ValueTask<CommandComplete> Read10Of4KiB() => Lun.Unit.ExecuteAsync(Lun.NextRead());

    [Benchmark]
    public ValueTask<CommandComplete> Write10Of4KiB() => Lun.Unit.ExecuteAsync(Lun.NextWrite());

    private LunFixture Lun => _lun ?? throw new InvalidOperationException("GlobalSetup has not run");
}
