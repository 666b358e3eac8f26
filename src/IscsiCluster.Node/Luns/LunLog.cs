using Microsoft.Extensions.Logging;

namespace IscsiCluster.Node.Luns;

/// <summary>Log lines of LUN owners (event ids 1100-1149).</summary>
internal static partial class LunLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "LUN {LunId:x15}: owner here is {State} (epoch {Epoch})")]
    public static partial void OwnerState(ILogger logger, ulong lunId, string state, long epoch);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "LUN {LunId:x15}: part of the unit's saved state (reservations, mode pages or unit attentions) could not be read and was reset; the next change overwrites it")]
    public static partial void StateDiscarded(ILogger logger, ulong lunId);
}
