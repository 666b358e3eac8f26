using IscsiCluster.Node.Configuration;
using Akka.TestKit.Xunit2;
using IscsiCluster.Config;
using Xunit.Abstractions;

namespace IscsiCluster.Node.Tests.Support;

/// <summary>
/// Akka's xunit TestKit with the akka section a node hands its actor system (the session and LUN
/// dispatchers among it), so actors under test run as they do in a node.
/// </summary>
public abstract class NodeTestKit(ITestOutputHelper? output = null)
    : TestKit(AkkaSection.From(NodeHost.LoadConfig(Config.Config.Empty)), output: output)
{
    /// <summary>The dispatcher LUN actors run on in a node.</summary>
    protected static string LunDispatcher => NodeSettings.Create(NodeHost.LoadConfig(Config.Config.Empty)).LunDispatcher;
}
