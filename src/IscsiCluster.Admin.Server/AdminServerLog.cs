using Microsoft.Extensions.Logging;

namespace IscsiCluster.Admin.Server;

/// <summary>The management endpoint's log lines. Requests are logged through AdmRequest.ToString, which masks secrets.</summary>
internal static partial class AdminServerLog
{
    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "Management endpoint listening on {Endpoint}")]
    public static partial void Listening(ILogger logger, string endpoint);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "Management request refused from {Peer}: {Reason}")]
    public static partial void Refused(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Management request from {Peer}: {Request}")]
    public static partial void Received(ILogger logger, string peer, string request);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Warning, Message = "Malformed management request from {Peer}: {Reason}")]
    public static partial void Malformed(ILogger logger, string peer, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Error, Message = "Management request from {Peer} failed in the handler")]
    public static partial void HandlerFailed(ILogger logger, Exception exception, string peer);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Debug, Message = "Management connection from {Peer} ended: {Reason}")]
    public static partial void ConnectionEnded(ILogger logger, string peer, string reason);
}
