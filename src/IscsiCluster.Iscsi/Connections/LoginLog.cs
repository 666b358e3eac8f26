using System.Net;
using IscsiCluster.Iscsi.Protocol.Pdus;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Connections;

/// <summary>Log lines of the login phase and of connections (event ids 2000-2099).</summary>
internal static partial class LoginLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Login from {Remote} failed with status 0x{StatusCode:x4} ({Status}): {Reason}")]
    public static partial void LoginFailed(this ILogger logger, IPEndPoint remote, ushort statusCode, LoginStatus status, string reason);

    /// <remarks>Information, or Debug for an initiator's sessions beyond the few logged per summary interval (<see cref="SessionsSummarised"/>).</remarks>
    [LoggerMessage(EventId = 2001, Message = "Login from {Remote} as {Initiator} succeeded: {SessionType} session to '{Target}', TSIH {Tsih}")]
    public static partial void LoginSucceeded(this ILogger logger, LogLevel level, IPEndPoint remote, string initiator, string sessionType, string target, ushort tsih);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Connection from {Remote} did not finish logging in within {Timeout}; closed")]
    public static partial void LoginTimedOut(this ILogger logger, IPEndPoint remote, TimeSpan timeout);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Connection from {Remote}: {Kind} ({Message}); the connection is closed")]
    public static partial void ConnectionError(this ILogger logger, IPEndPoint remote, PduErrorKind kind, string message);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Connection from {Remote}: {Kind} ({Message}); PDU rejected")]
    public static partial void PduRejected(this ILogger logger, IPEndPoint remote, PduErrorKind kind, string message);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "Connection from {Remote} sent {Opcode} during login; closed")]
    public static partial void UnexpectedLoginPdu(this ILogger logger, IPEndPoint remote, IscsiOpcode opcode);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Debug, Message = "Connection from {Remote} ended: {Reason}")]
    public static partial void ConnectionEnded(this ILogger logger, IPEndPoint remote, string reason);

    [LoggerMessage(EventId = 2040, Level = LogLevel.Warning, Message = "Connection from {Remote} refused with Login Response 0x0302 (out of resources): {Reason} ({Count} refused since the last such line)")]
    public static partial void ConnectionRefused(this ILogger logger, IPEndPoint remote, string reason, long count);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Connection from {Remote}: {Count} more '{Kind}' lines suppressed in the last {Seconds} s")]
    private static partial void WarningsSuppressed(this ILogger logger, IPEndPoint remote, long count, string kind, long seconds);

    public static void WarningsSuppressed(this ILogger logger, IPEndPoint remote, long count, string kind, TimeSpan elapsed) =>
        logger.WarningsSuppressed(remote, count, kind, WholeSeconds(elapsed));

    [LoggerMessage(EventId = 2009, Level = LogLevel.Information, Message = "Initiator {Initiator} at {Address}: {Opened} more sessions opened and {Closed} closed in the last {Seconds} s (their login and logout lines at Debug)")]
    private static partial void SessionsSummarised(this ILogger logger, string initiator, IPAddress address, long opened, long closed, long seconds);

    public static void SessionsSummarised(this ILogger logger, string initiator, IPAddress address, long opened, long closed, TimeSpan elapsed) =>
        logger.SessionsSummarised(initiator, address, opened, closed, WholeSeconds(elapsed));

    /// <summary>A summary line's interval, in whole seconds (at least 1).</summary>
    internal static long WholeSeconds(TimeSpan elapsed) => Math.Max(1, (long)Math.Round(elapsed.TotalSeconds));

    [LoggerMessage(EventId = 2008, Level = LogLevel.Debug, Message = "Login from {Remote} failed again: its answer waits {Delay}")]
    public static partial void LoginFailureDelayed(this ILogger logger, IPEndPoint remote, TimeSpan delay);
}
