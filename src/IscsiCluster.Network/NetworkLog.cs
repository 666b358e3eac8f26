using System.Net;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Network;

/// <summary>Log lines of the network layer (event ids 1000-1099).</summary>
internal static partial class NetworkLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Listening on {EndPoint}")]
    public static partial void Listening(this ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Debug, Message = "Connection {ConnectionId} accepted from {RemoteEndPoint}")]
    public static partial void ConnectionAccepted(this ILogger logger, long connectionId, IPEndPoint remoteEndPoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Connection {ConnectionId} from {RemoteEndPoint} closed")]
    public static partial void ConnectionClosed(this ILogger logger, long connectionId, IPEndPoint remoteEndPoint);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Connection {ConnectionId} from {RemoteEndPoint} failed")]
    public static partial void ConnectionFailed(this ILogger logger, long connectionId, IPEndPoint remoteEndPoint, Exception exception);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Accepting a connection on {EndPoint} failed")]
    public static partial void AcceptFailed(this ILogger logger, IPEndPoint endPoint, Exception exception);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Stopped listening on {EndPoint}")]
    public static partial void Stopped(this ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Aborting {Count} connections on {EndPoint} that did not end within the grace period")]
    public static partial void AbortingConnections(this ILogger logger, int count, IPEndPoint endPoint);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "Accepting connections on {EndPoint} fails: out of file descriptors or socket buffers ({Error}); retrying with a growing pause of up to {MaxPause} and no further log line until it works again")]
    public static partial void OutOfDescriptors(this ILogger logger, IPEndPoint endPoint, System.Net.Sockets.SocketError error, TimeSpan maxPause);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Accepting connections on {EndPoint} again after {Failures} failed attempts over {Duration}")]
    public static partial void AcceptingAgain(this ILogger logger, IPEndPoint endPoint, long failures, TimeSpan duration);
}
