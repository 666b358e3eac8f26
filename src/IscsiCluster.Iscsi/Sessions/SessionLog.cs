using IscsiCluster.Iscsi.Protocol.Pdus;
using IscsiCluster.Scsi.Sense;
using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>Log lines of sessions in full feature phase (event ids 2100-2199).</summary>
internal static partial class SessionLog
{
    // 2100, 2101 and 2114 are Information, or Debug for an initiator's sessions beyond the few
    // logged per summary interval (SessionChurn, LoginLog.SessionsSummarised).
    [LoggerMessage(EventId = 2100, Message = "Session {Session} opened to {Target}")]
    public static partial void SessionOpened(this ILogger logger, LogLevel level, string session, string target);

    [LoggerMessage(EventId = 2101, Message = "Session {Session} closed")]
    public static partial void SessionClosed(this ILogger logger, LogLevel level, string session);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Information, Message = "Session {Session} ended: {Reason}")]
    public static partial void SessionEnded(this ILogger logger, string session, SessionEndReason reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Information, Message = "Session {Session}: connection ended with an error")]
    public static partial void ConnectionFailed(this ILogger logger, string session, Exception exception);

    [LoggerMessage(EventId = 2104, Level = LogLevel.Warning, Message = "Session {Session}: opcode {Opcode} is not supported; rejected")]
    public static partial void UnsupportedOpcode(this ILogger logger, string session, IscsiOpcode opcode);

    [LoggerMessage(EventId = 2105, Level = LogLevel.Warning, Message = "Session {Session}: CmdSN {CmdSn} dropped ({Verdict}; window {ExpCmdSn}..{MaxCmdSn})")]
    public static partial void CommandDropped(this ILogger logger, string session, uint cmdSn, uint expCmdSn, uint maxCmdSn, WindowVerdict verdict);

    [LoggerMessage(EventId = 2106, Level = LogLevel.Warning, Message = "Session {Session}: Initiator Task Tag 0x{Tag:x8} is already in use; rejected")]
    public static partial void DuplicateTaskTag(this ILogger logger, string session, uint tag);

    [LoggerMessage(EventId = 2107, Level = LogLevel.Warning, Message = "Session {Session}: bad data-out for task 0x{Tag:x8}: {Error}; rejected")]
    public static partial void BadDataOut(this ILogger logger, string session, uint tag, DataOutError error);

    [LoggerMessage(EventId = 2108, Level = LogLevel.Information, Message = "Session {Session}: command 0x{Tag:x8} refused with CHECK CONDITION ({Reason})")]
    public static partial void CommandRefused(this ILogger logger, string session, uint tag, SenseReason reason);

    [LoggerMessage(EventId = 2109, Level = LogLevel.Debug, Message = "Session {Session}: Data-Out for unknown or aborted task 0x{Tag:x8} discarded")]
    public static partial void DataOutForUnknownTask(this ILogger logger, string session, uint tag);

    [LoggerMessage(EventId = 2110, Level = LogLevel.Warning, Message = "Session {Session}: no answer to a NOP-In ping within {Timeout}; dropping the connection")]
    public static partial void PingTimedOut(this ILogger logger, string session, TimeSpan timeout);

    [LoggerMessage(EventId = 2111, Level = LogLevel.Warning, Message = "Session {Session}: task management function {Function} failed at the LUN")]
    public static partial void TaskManagementFailed(this ILogger logger, string session, TaskManagementFunction function, Exception exception);

    [LoggerMessage(EventId = 2112, Level = LogLevel.Warning, Message = "Session {Session}: bad Text Request: {Reason}")]
    public static partial void BadText(this ILogger logger, string session, string reason);

    [LoggerMessage(EventId = 2113, Level = LogLevel.Warning, Message = "Session {Session}: listing targets for SendTargets failed")]
    public static partial void SendTargetsFailed(this ILogger logger, string session, Exception exception);

    [LoggerMessage(EventId = 2114, Message = "Session {Session}: logout ({Reason}) requested with {Outstanding} tasks outstanding")]
    public static partial void LogoutRequested(this ILogger logger, LogLevel level, string session, LogoutReason reason, int outstanding);

    [LoggerMessage(EventId = 2115, Level = LogLevel.Information, Message = "Session {Session}: asking the initiator to log out within {Grace} ({Reason})")]
    public static partial void LogoutRequestedByTarget(this ILogger logger, string session, string reason, TimeSpan grace);

    [LoggerMessage(EventId = 2116, Level = LogLevel.Warning, Message = "Session {Session}: the initiator did not log out in time; dropping the connection")]
    public static partial void LogoutGraceExpired(this ILogger logger, string session);

    [LoggerMessage(EventId = 2117, Level = LogLevel.Warning, Message = "Session {Session}: {Count} more '{Kind}' lines suppressed in the last {Seconds} s")]
    private static partial void WarningsSuppressed(this ILogger logger, string session, long count, string kind, long seconds);

    public static void WarningsSuppressed(this ILogger logger, string session, long count, string kind, TimeSpan elapsed) =>
        logger.WarningsSuppressed(session, count, kind, Connections.LoginLog.WholeSeconds(elapsed));

    [LoggerMessage(EventId = 2118, Level = LogLevel.Information, Message = "Session {Session}: task management {Function} from {Initiator} for LUN {Lun} (referenced task 0x{ReferencedTag:x8})")]
    public static partial void TaskManagementRequested(this ILogger logger, string session, string function, string initiator, ulong lun, uint referencedTag);
}
