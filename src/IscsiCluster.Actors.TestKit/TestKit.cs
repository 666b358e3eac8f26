using Microsoft.Extensions.Logging;

namespace IscsiCluster.Actors.TestKit;

/// <summary>
/// Base class for xunit actor tests: owns an <see cref="ActorSystem"/> (terminated on Dispose) and a default probe,
/// <see cref="TestActor"/>, that the Expect* methods read from.
/// </summary>
public abstract class TestKit : IDisposable
{
    private readonly TestProbe _testActor;
    private int _probes;

    protected TestKit(string? systemName = null, ILoggerFactory? loggerFactory = null)
    {
        Sys = ActorSystem.Create(systemName ?? "test", loggerFactory);
        _testActor = new TestProbe(Sys, "testActor");
    }

    public ActorSystem Sys { get; }

    public IActorRef TestActor => _testActor.Ref;

    /// <summary>The sender of the message the last Expect* call on <see cref="TestActor"/> returned.</summary>
    public IActorRef LastSender => _testActor.LastSender;

    /// <summary><paramref name="duration"/> multiplied by <see cref="TestKitSettings.TimeFactor"/>.</summary>
    public static TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    public TestProbe CreateTestProbe(string? name = null) =>
        new(Sys, name ?? $"testProbe-{Interlocked.Increment(ref _probes)}");

    public IActorRef Watch(IActorRef actor) => _testActor.Watch(actor);

    public IActorRef Unwatch(IActorRef actor) => _testActor.Unwatch(actor);

    public Task<T> ExpectMsgAsync<T>(TimeSpan? timeout = null) => _testActor.ExpectMsgAsync<T>(timeout);

    public Task<T> ExpectMsgAsync<T>(Func<T, bool> predicate, TimeSpan? timeout = null) => _testActor.ExpectMsgAsync(predicate, timeout);

    public Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) => _testActor.ExpectMsgAsync(expected, timeout);

    public Task ExpectNoMsgAsync(TimeSpan duration) => _testActor.ExpectNoMsgAsync(duration);

    public Task<Terminated> ExpectTerminatedAsync(IActorRef actor, TimeSpan? timeout = null) => _testActor.ExpectTerminatedAsync(actor, timeout);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Sys.Dispose();
        }
    }
}
