using System.Net;

namespace IscsiCluster.Cluster;

/// <summary>One node of the cluster as every node's configuration lists it.</summary>
/// <param name="Number">1, 2, 3, ...: the node's name in logs and status, its target port group and relative target port id.</param>
/// <param name="Address">Where its Akka remoting and data connections listen, and its portal unless <paramref name="PortalAddress"/> says otherwise.</param>
/// <param name="PortalAddress">Where its portal listens when initiators reach the node on another network than its peers do.</param>
public sealed record ClusterNode(int Number, IPAddress Address, int PortalPort, int RemotingPort, int DataPort, IPAddress? PortalAddress = null)
{
    /// <summary>How logs and status name the node.</summary>
    public string Name => $"node-{Number}";

    public IPEndPoint Portal => new(PortalAddress ?? Address, PortalPort);

    public IPEndPoint Data => new(Address, DataPort);

    /// <summary>The node's Akka.Remote address (what the cluster's membership calls it).</summary>
    public string AkkaAddress(string systemName) => $"akka.tcp://{systemName}@{Address}:{RemotingPort}";
}
