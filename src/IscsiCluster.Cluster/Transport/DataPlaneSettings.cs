using System.Net;

namespace IscsiCluster.Cluster.Transport;

/// <summary>How a node's data connections are set up.</summary>
/// <param name="Self">This node's number.</param>
/// <param name="ClusterName">Both ends of a connection must name the same cluster.</param>
/// <param name="Listen">Where this node accepts data connections (and the address its own calls leave from).</param>
/// <param name="Peers">Every other node's data endpoint, by node number.</param>
public sealed record DataPlaneSettings(int Self, string ClusterName, IPEndPoint Listen, IReadOnlyDictionary<int, IPEndPoint> Peers)
{
    /// <summary>The largest frame payload accepted; larger frames end the connection before their bytes are read.</summary>
    public int MaxFramePayload { get; init; } = 80 * 1024 * 1024;

    /// <summary>Bytes that may wait to be written to one peer; beyond it sending fails (the layers above retry).</summary>
    public long MaxQueuedBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The first pause before calling a peer again after a failure; it doubles up to <see cref="ReconnectMax"/>.</summary>
    public TimeSpan ReconnectMin { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan ReconnectMax { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a new connection may take to say who it is.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
