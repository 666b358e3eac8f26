using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster.Sharding;

namespace IscsiCluster.Cluster.Sharding;

/// <summary>
/// Where sharding places an entity (one per shard): on one of the nodes its shard may live on, preferring the node that
/// holds the fewest of the region's shards, so entities spread. A LUN's owner may live on the LUN's replica nodes, since
/// it reads its own replica and counts it in every majority; a target's entity, which holds no data, on any node.
/// It never rebalances on its own: every move of an owner is an ALUA change the initiators must follow, so owners move
/// only when their node leaves or is drained.
/// </summary>
public sealed class ReplicaAllocation : IShardAllocationStrategy
{
    private readonly Func<string, IReadOnlyList<int>> _replicasOfShard;
    private readonly Func<IActorRef, int?> _nodeOfRegion;

    /// <param name="replicasOfShard">The nodes a shard may live on (for a LUN: its replica nodes).</param>
    /// <param name="nodeOfRegion">The node number a shard region runs on, or null when unknown.</param>
    public ReplicaAllocation(Func<string, IReadOnlyList<int>> replicasOfShard, Func<IActorRef, int?> nodeOfRegion)
    {
        _replicasOfShard = replicasOfShard;
        _nodeOfRegion = nodeOfRegion;
    }

    public Task<IActorRef> AllocateShard(IActorRef requester, string shardId, IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations)
    {
        var replicas = _replicasOfShard(shardId);
        var candidates = currentShardAllocations
            .Where(region => _nodeOfRegion(region.Key) is { } node && replicas.Contains(node))
            .OrderBy(region => region.Value.Count)
            .ThenBy(region => _nodeOfRegion(region.Key))
            .Select(region => region.Key)
            .ToList();

        // No replica node has a region (too few nodes up to serve it anyway): the requester holds it, and its owner
        // waits for a majority of replicas like any other.
        return Task.FromResult(candidates.Count > 0 ? candidates[0] : requester);
    }

    public Task<IImmutableSet<string>> Rebalance(IImmutableDictionary<IActorRef, IImmutableList<string>> currentShardAllocations, IImmutableSet<string> rebalanceInProgress) =>
        Task.FromResult<IImmutableSet<string>>(ImmutableHashSet<string>.Empty);
}
