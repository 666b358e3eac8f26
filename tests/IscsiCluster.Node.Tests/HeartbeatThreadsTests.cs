using Akka.Actor;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>
/// The actors that carry the cluster's heartbeats (the cluster's own and remoting's) run on threads of their own, never on
/// the .NET thread pool that sessions and I/O keep busy: late heartbeats get healthy nodes downed.
/// </summary>
public sealed class HeartbeatThreadsTests : NodeTestKit
{
    [Theory]
    [InlineData("akka.cluster.use-dispatcher")]
    [InlineData("akka.remote.use-dispatcher")]
    public async Task TheDispatcherRunsOnThreadsOfItsOwn(string setting)
    {
        var dispatcher = Sys.Settings.Config.GetString(setting);
        Assert.False(string.IsNullOrEmpty(dispatcher), $"{setting} is not set");
        var probe = Sys.ActorOf(Props.Create(() => new ThreadReporter()).WithDispatcher(dispatcher));

        var answers = new List<bool>();
        for (var i = 0; i < 20; i++)
        {
            answers.Add(await probe.Ask<bool>(ThreadReporter.OnThreadPool, Dilated(TimeSpan.FromSeconds(5))));
        }

        Assert.All(answers, onPool => Assert.False(onPool, $"{dispatcher} ran an actor on a thread-pool thread"));
        Assert.NotEqual(dispatcher, LunDispatcher);
    }

    private sealed class ThreadReporter : ReceiveActor
    {
        public const string OnThreadPool = "on-thread-pool?";

        public ThreadReporter() => Receive<string>(_ => Sender.Tell(Thread.CurrentThread.IsThreadPoolThread));
    }
}
