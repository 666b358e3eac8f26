namespace IscsiCluster.Network;

/// <summary>
/// Serves one connection until it ends. <paramref name="shutdown"/> is cancelled when the
/// listener stops: the handler should then end its conversation politely and return.
/// The listener disposes the connection after the handler returns.
/// </summary>
public delegate Task ConnectionHandler(SocketConnection connection, CancellationToken shutdown);
