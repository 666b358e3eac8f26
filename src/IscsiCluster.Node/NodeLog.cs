using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node;

/// <summary>The node's log lines (event ids 1000-1099).</summary>
internal static partial class NodeLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Node {Name} starting; store in {DataDirectory}")]
    public static partial void Starting(ILogger logger, string name, string dataDirectory);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Portal listening on {EndPoint}")]
    public static partial void PortalListening(ILogger logger, string endPoint);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Target {Target}: LUN {Lun} is {SizeBytes} bytes in {BlockSize}-byte blocks (volume {VolumeId:x15})")]
    public static partial void LunReady(ILogger logger, string target, ulong lun, long sizeBytes, int blockSize, ulong volumeId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Node {Name} stopping")]
    public static partial void Stopping(ILogger logger, string name);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Node {Name} stopped; store flushed and closed")]
    public static partial void Stopped(ILogger logger, string name);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "LUN {Lun}: command with task tag {TaskTag:x8} failed in the backing store")]
    public static partial void CommandFailed(ILogger logger, ulong lun, uint taskTag, Exception exception);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Warning, Message = "Target {Target} admits no initiator: it has no ACL entry (add initiator-addresses or initiator-names)")]
    public static partial void TargetWithoutAcl(ILogger logger, string target);
}
