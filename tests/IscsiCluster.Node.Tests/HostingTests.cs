using System.Net;
using System.Net.Sockets;
using Akka.Actor;
using Akka.Event;
using IscsiCluster.Iscsi.Tests.Infrastructure;
using IscsiCluster.Node.Configuration;
using IscsiCluster.Node.Tests.Support;

namespace IscsiCluster.Node.Tests;

/// <summary>The node on the Generic Host with Akka.Hosting: one log, its own dispatchers, clean failures at start.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task AkkaLogEventsGoThroughTheNodesLoggingAtTheirOwnLevelWithoutAkkasPrefix()
    {
        var log = new CapturingLoggerFactory();
        await using (var node = await TestNode.StartEmptyAsync(loggerFactory: log))
        {
            Logging.GetLogger(node.Host.ActorSystem, "hosting-test").Error("the error {0} of the test", 42);
            await WaitForAsync(() => log.Texts.Any(l => l.Contains("the error 42 of the test", StringComparison.Ordinal)));
        }

        var line = log.Texts.Single(l => l.Contains("the error 42 of the test", StringComparison.Ordinal));
        Assert.True(line.StartsWith("Error ", StringComparison.Ordinal), line);
        Assert.True(line.Contains("hosting-test (akka://iscsi-cluster): the error 42 of the test", StringComparison.Ordinal), line);

        Assert.DoesNotContain(log.Texts, l => l.Contains("[INFO][", StringComparison.Ordinal) || l.Contains("[ERROR][", StringComparison.Ordinal));

        // Akka's own events (its shutdown, here) arrive the same way.
        Assert.Contains(log.Texts, l => l.StartsWith("Information ", StringComparison.Ordinal) && l.Contains("CoordinatedShutdown", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SessionsAndLunOwnersRunOnTheDispatchersTheConfigurationNames()
    {
        await using var node = await TestNode.StartAsync();
        var system = (ExtendedActorSystem)node.Host.ActorSystem;

        var lun = await ResolveAsync(system, "/system/sharding/lun/*/*", "LunActor");
        Assert.Equal("akka.actor.iscsi-lun-dispatcher", ((ActorRefWithCell)lun).Underlying.Props.Dispatcher);

        await using var held = await HeldSession.OpenAsync(node.Url(1));
        var session = await ResolveAsync(system, "/user/*/session-*", "SessionActor");
        Assert.Equal("akka.actor.iscsi-session-dispatcher", ((ActorRefWithCell)session).Underlying.Props.Dispatcher);
    }

    [Fact]
    public void ADispatcherTheAkkaSectionDoesNotConfigureIsRefusedBeforeAnythingOpens()
    {
        var directory = Directory.CreateTempSubdirectory("iscsi-cluster-test-").FullName;
        try
        {
            var config = NodeHost.LoadConfig(Config.Config.ParseString(TestNode.ConfigText(directory, TestNode.DefaultTarget) + "\n" + """
                iscsi-cluster.node.lun-dispatcher = "akka.actor.no-such-dispatcher"
                """));

            var error = Assert.Throws<NodeConfigurationException>(() => NodeHost.Create(config, new NodeStartOptions()));

            Assert.Contains("iscsi-cluster.node.lun-dispatcher", error.Message, StringComparison.Ordinal);
            Assert.Contains("akka.actor.no-such-dispatcher", error.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task ANodeWhosePortIsTakenFailsToStartAndLeavesItsStoreClosed()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen();
        var port = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        var directory = Directory.CreateTempSubdirectory("iscsi-cluster-test-").FullName;
        try
        {
            var config = NodeHost.LoadConfig(Config.Config.ParseString(
                TestNode.ConfigText(directory, TestNode.DefaultTarget) + $"\niscsi-cluster.iscsi.port = {port}\n"));
            var options = new NodeStartOptions(AdminSocket: TestNode.SocketPath(directory));

            await Assert.ThrowsAsync<SocketException>(() => NodeHost.StartAsync(config, options, null, CancellationToken.None));

            // The store was closed again: another node can open the same data directory at once.
            await using var next = await TestNode.StartAsync(dataDirectory: directory);
            Assert.NotEqual(port, next.Portal.Port);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <summary>The one actor at <paramref name="path"/>, once it exists (a target starts its LUN actors after it starts itself).</summary>
    /// <summary>An actor of the given class under the path pattern (a shard also has children of Akka's own, such as its entity store).</summary>
    private static async Task<IActorRef> ResolveAsync(ActorSystem system, string path, string actorType)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var inbox = Inbox.Create(system);
            system.ActorSelection(path).Tell(new Identify(null), inbox.Receiver);
            try
            {
                while (true)
                {
                    if (await inbox.ReceiveAsync(TimeSpan.FromMilliseconds(500)) is ActorIdentity { Subject: ActorRefWithCell found }
                        && found.Underlying.Props.Type.Name == actorType)
                    {
                        return found;
                    }
                }
            }
            catch (TimeoutException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50);
            }
        }
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(20);
        }
    }
}
