using System.Buffers;

namespace IscsiCluster.Cluster.Transport;

/// <summary>What the layer above the data connections hears from them. Calls come from the connections' own read loops.</summary>
public interface IFrameHandler
{
    /// <summary>A connection to <paramref name="peer"/> is up: frames can be sent to it.</summary>
    void OnLinkUp(int peer);

    /// <summary>The connection to <paramref name="peer"/> is gone: frames sent to it may have been lost.</summary>
    void OnLinkDown(int peer);

    /// <summary>
    /// A frame arrived from <paramref name="peer"/>. <paramref name="payload"/> is valid only during the call:
    /// keep what is needed, copied.
    /// </summary>
    void OnFrame(int peer, byte kind, in ReadOnlySequence<byte> payload);
}
