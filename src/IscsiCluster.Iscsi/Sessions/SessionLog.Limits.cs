using Microsoft.Extensions.Logging;

namespace IscsiCluster.Iscsi.Sessions;

/// <summary>Log lines of a session's limits (event ids 2140-2149).</summary>
internal static partial class SessionLog
{
    [LoggerMessage(EventId = 2140, Level = LogLevel.Debug, Message = "Session {Session}: command 0x{Tag:x8} of {Bytes} bytes refused with TASK SET FULL ({Held} bytes of data held by the session)")]
    public static partial void TransferRefused(this ILogger logger, string session, uint tag, long bytes, long held);

    [LoggerMessage(EventId = 2141, Level = LogLevel.Debug, Message = "Session {Session}: immediate command 0x{Tag:x8} rejected: {Count} immediate commands already under way")]
    public static partial void ImmediateRejected(this ILogger logger, string session, uint tag, int count);

    [LoggerMessage(EventId = 2142, Level = LogLevel.Warning, Message = "Session {Session}: write 0x{Tag:x8} received no Data-Out for {Timeout}; ended with CHECK CONDITION ({Received} of {Expected} bytes arrived)")]
    public static partial void DataOutTimedOut(this ILogger logger, string session, uint tag, TimeSpan timeout, int received, int expected);

    [LoggerMessage(EventId = 2143, Level = LogLevel.Warning, Message = "Session {Session}: Text Request longer than {Limit} bytes; rejected and dropped (logged once a session)")]
    public static partial void TextTooLong(this ILogger logger, string session, int limit);
}
