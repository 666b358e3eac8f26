using Akka.TestKit.Xunit2;
using IscsiCluster.Config;
using Xunit.Abstractions;

using IscsiCluster.Iscsi.Tests.Infrastructure;

namespace IscsiCluster.Iscsi.Tests.Infrastructure;

/// <summary>
/// Akka's xunit TestKit with the iSCSI layer's own akka defaults (the session dispatcher), as a node
/// hands them to its actor system.
/// </summary>
public abstract class PortalTestKit(ITestOutputHelper? output = null)
    : TestKit(AkkaSection.From(IscsiSettings.Reference), output: output);
