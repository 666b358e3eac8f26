using BenchmarkDotNet.Attributes;
using Akka.Actor;
using IscsiCluster.Node.Luns;
using IscsiCluster.Scsi.Sam;
using Microsoft.Extensions.Logging.Abstractions;

namespace IscsiCluster.Benchmarks;

/// <summary>
/// The same 4 KiB READ(10) and WRITE(10) sent to the node's <see cref="LunActor"/> and awaited
/// one at a time (Ask): the store path plus a mailbox turn and the reply.
/// </summary>
[MemoryDiagnoser]
public class LunActorBenchmarks
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private LunFixture? _lun;
    private ActorSystem? _system;
    private IActorRef? _actor;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _lun = await LunFixture.CreateAsync();
        _system = ActorSystem.Create("bench");
        var unit = _lun.Unit;
        _actor = _system.ActorOf(Props.Create(() => new LunActor(unit, NullLogger.Instance)), "lun-1");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        if (_system is not null)
        {
            await _system.Terminate();
        }

        _lun?.Dispose();
    }

    [Benchmark]
    public Task<CommandComplete> Read10Of4KiB() => Actor.Ask<CommandComplete>(Lun.NextRead(), Timeout);

    [Benchmark]
    public Task<CommandComplete> Write10Of4KiB() => Actor.Ask<CommandComplete>(Lun.NextWrite(), Timeout);

    private LunFixture Lun => _lun ?? throw new InvalidOperationException("GlobalSetup has not run");

    private IActorRef Actor => _actor ?? throw new InvalidOperationException("GlobalSetup has not run");
}
