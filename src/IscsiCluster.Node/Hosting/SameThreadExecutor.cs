using Akka.Actor;
using AkkaConfig = Akka.Configuration.Config;
using Akka.Dispatch;
using IscsiCluster.Network;

namespace IscsiCluster.Node.Hosting;

/// <summary>
/// Runs actors on the .NET thread pool, but an actor made runnable by a message sent from a thread already running an
/// actor of such a dispatcher runs next on that same thread instead of waking another: a command's hand-offs (session,
/// LUN port, LUN, replica, back to the session) then follow one another on one thread, as the calls of an event loop do.
/// Akka's own thread-pool executor queues each hand-off to the pool and asks it for one more thread every time, which
/// wakes a sleeping worker that mostly finds nothing to do and spins before it sleeps again (bench/README.md: the
/// depth-1 write). A batch is bounded, so a chatty pair of actors cannot keep one thread to itself; what does not fit
/// goes to the pool as before.
/// </summary>
/// <remarks>Configured as <c>executor = "IscsiCluster.Node.Hosting.SameThreadExecutorConfigurator, iscsi-cluster-node"</c>.</remarks>
public sealed class SameThreadExecutorConfigurator : ExecutorServiceConfigurator
{
    public SameThreadExecutorConfigurator(AkkaConfig config, IDispatcherPrerequisites prerequisites)
        : base(config, prerequisites)
    {
    }

    public override ExecutorService Produce(string id) => new SameThreadExecutor(id);
}

/// <summary>The executor of <see cref="SameThreadExecutorConfigurator"/>.</summary>
internal sealed class SameThreadExecutor : ExecutorService
{
    public SameThreadExecutor(string id)
        : base(id)
    {
    }

    public override void Execute(IRunnable run) => ThreadBatch.Execute(run);

    public override void Shutdown()
    {
        // The thread pool is the runtime's: nothing to stop.
    }
}
