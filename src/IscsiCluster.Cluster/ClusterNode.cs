using System.Net;

namespace IscsiCluster.Cluster;

/// <summary>One node of the cluster as every node's configuration lists it.</summary>
/// <param name="Number">1, 2, 3, ...: the node's name in logs and status, its target port group and relative target port id.</param>
/// <param name="Address">Where its portal, Akka remoting and data connections listen.</param>
public sealed record ClusterNode(int Number, IPAddress Address, int PortalPort, int RemotingPort, int DataPort)
{
    /// <summary>How logs and status name the node.</summary>
    public string Name => $"node-{Number}";

    public IPEndPoint Portal => new(Address, PortalPort);

    public IPEndPoint Data => new(Address, DataPort);

    /// <summary>The node's Akka.Remote address (what the cluster's membership calls it).</summary>
    public string AkkaAddress(string systemName) => $"akka.tcp://{systemName}@{Address}:{RemotingPort}";
}
