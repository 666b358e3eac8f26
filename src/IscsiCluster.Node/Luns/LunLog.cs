using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>Log lines of LUN owners (event ids 1100-1149).</summary>
internal static partial class LunLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "LUN {LunId:x15}: owner here is {State} (epoch {Epoch})")]
    public static partial void OwnerState(ILogger logger, ulong lunId, string state, long epoch);
}
