using System.Globalization;
using Akka.Cluster.Sharding;
using IscsiCluster.Node.Administration;
using IscsiCluster.Node.Luns;
using IscsiCluster.Node.Targets;

namespace IscsiCluster.Node.Hosting;

/// <summary>The node's regions put each entity in a shard of its own (the shard id is the entity id) and deliver messages whole.</summary>
internal abstract class OneEntityPerShard : IMessageExtractor
{
    public abstract string? EntityId(object message);

    public object? EntityMessage(object message) => message;

    public string? ShardId(object message) => EntityId(message);

    public string ShardId(string entityId, object? messageHint = null) => entityId;
}

/// <summary>The entity of a message to the LUN owners' region: the LUN's id in hexadecimal; one LUN per shard.</summary>
internal sealed class LunMessageExtractor : OneEntityPerShard
{
    public static string EntityIdOf(ulong lunId) => lunId.ToString("x15", CultureInfo.InvariantCulture);

    public static ulong LunIdOf(string entityId) => ulong.Parse(entityId, NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    public override string? EntityId(object message) => message switch
    {
        WakeLun wake => EntityIdOf(wake.LunId),
        GetOwnerStatus status => EntityIdOf(status.LunId),
        GetLunStatistics statistics => EntityIdOf(statistics.LunId),
        _ => null,
    };
}

/// <summary>The configuration's region has one entity, in one shard.</summary>
internal sealed class ConfigurationMessageExtractor : OneEntityPerShard
{
    public const string Id = "configuration";

    public override string? EntityId(object message) => message switch
    {
        WakeConfiguration or ProposeConfiguration => Id,
        _ => null,
    };
}

/// <summary>The entity of a message to the targets' region: the target's tid in decimal; one target per shard.</summary>
internal sealed class TargetMessageExtractor : OneEntityPerShard
{
    public static int TidOf(string entityId) => int.Parse(entityId, NumberStyles.None, CultureInfo.InvariantCulture);

    public override string? EntityId(object message) => message switch
    {
        AccessQuery query => query.Tid.ToString(CultureInfo.InvariantCulture),
        _ => null,
    };
}
