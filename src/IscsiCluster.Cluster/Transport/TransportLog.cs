using System.Net;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Cluster.Transport;

/// <summary>Log lines of the data connections (event ids 5000-5099).</summary>
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Information, Message = "Data connections of node {Self} listening on {EndPoint}")]
    public static partial void Listening(this ILogger logger, int self, IPEndPoint endPoint);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Data connection to node {Peer} up ({RemoteEndPoint})")]
    public static partial void LinkUp(this ILogger logger, int peer, IPEndPoint remoteEndPoint);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "Data connection to node {Peer} down: {Reason}")]
    public static partial void LinkDown(this ILogger logger, int peer, string reason);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "Data connection from {RemoteEndPoint} refused: {Reason}")]
    public static partial void Refused(this ILogger logger, IPEndPoint remoteEndPoint, string reason);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Calling node {Peer} at {EndPoint} failed: {Reason}")]
    public static partial void CallFailed(this ILogger logger, int peer, IPEndPoint endPoint, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Data connection to node {Peer} dropped: {Reason}")]
    public static partial void ProtocolError(this ILogger logger, int peer, string reason);
}
