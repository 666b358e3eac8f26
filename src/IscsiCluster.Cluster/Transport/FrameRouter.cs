using System.Buffers;
using System.Collections.Concurrent;

namespace IscsiCluster.Cluster.Transport;

/// <summary>Receives the frames of one kind; the payload is valid only during the call.</summary>
public delegate void FrameReceiver(int peer, in ReadOnlySequence<byte> payload);

/// <summary>
/// Hands each frame to the receiver registered for its kind (replication, forwarded commands, ...), and tells every
/// listener when a connection to a peer comes up or goes down. A frame of a kind nobody registered is dropped.
/// </summary>
public sealed class FrameRouter : IFrameHandler
{
    private readonly ConcurrentDictionary<byte, FrameReceiver> _receivers = new();
    private readonly ConcurrentDictionary<object, Action<int, bool>> _linkListeners = new();

    /// <summary>The receiver of frames of <paramref name="kind"/> (one per kind).</summary>
    public void Register(byte kind, FrameReceiver receiver)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        if (!_receivers.TryAdd(kind, receiver))
        {
            throw new InvalidOperationException($"frame kind {kind} already has a receiver");
        }
    }

    /// <summary>Calls <paramref name="listener"/>(peer, up) on every link change, until removed by <paramref name="owner"/>.</summary>
    public void ListenToLinks(object owner, Action<int, bool> listener) => _linkListeners[owner] = listener;

    public void StopListening(object owner) => _linkListeners.TryRemove(owner, out _);

    public void OnLinkUp(int peer) => Notify(peer, up: true);

    public void OnLinkDown(int peer) => Notify(peer, up: false);

    public void OnFrame(int peer, byte kind, in ReadOnlySequence<byte> payload)
    {
        if (_receivers.TryGetValue(kind, out var receiver))
        {
            receiver(peer, payload);
        }
    }

    private void Notify(int peer, bool up)
    {
        foreach (var listener in _linkListeners.Values)
        {
            listener(peer, up);
        }
    }
}
