using Akka.Actor;
using Akka.Cluster.Sharding;

namespace Jarvis.Actors.Sharding;

/// <summary>
/// A gateway's view of where each run shard lives (the node that last acknowledged one of its executes) and which
/// nodes are unreachable now. An execute whose shard lives on an unreachable node cannot be taken by anyone until the
/// cluster downs that node and moves the shard, so the gateway refuses it at once (retryable) rather than holding it
/// for the whole ack timeout: behind a balancer the retry may reach the owner by another way, and a caller's deadline
/// is not spent waiting. It is learned from every ack and, for shards this gateway has not used lately, from a periodic
/// census of every region's shards (<see cref="Learn(ClusterShardingStats, Address)"/>); a region that does not answer
/// the census keeps its last known shards. It may be stale after a rebalance until the next ack or census.
/// Used on the gateway's thread only.
/// </summary>
public sealed class ShardHomes
{
    private static readonly RunMessageExtractor Shards = new();

    private readonly Dictionary<string, Address> _homes = new(StringComparer.Ordinal);
    private readonly HashSet<Address> _unreachable = [];

    public void Homed(string nodeRunId, Address home) => _homes[ShardOf(nodeRunId)] = home;

    /// <summary>The census: each answering region's shards. <paramref name="self"/> names this node's own region.</summary>
    public void Learn(ClusterShardingStats census, Address self)
    {
        foreach (var (region, stats) in census.Regions)
        {
            var home = region.HasLocalScope ? self : region;
            foreach (var shard in stats.Stats.Keys) _homes[shard] = home;
        }
    }

    public void Unreachable(Address node) => _unreachable.Add(node);

    public void Reachable(Address node) => _unreachable.Remove(node);

    /// <summary>The node left the cluster: its shards will be allocated afresh.</summary>
    public void Removed(Address node)
    {
        _unreachable.Remove(node);
        foreach (var shard in _homes.Where(h => h.Value == node).Select(h => h.Key).ToList()) _homes.Remove(shard);
    }

    /// <summary>The unreachable node the shard of <paramref name="nodeRunId"/> lives on, or null.</summary>
    public Address? UnreachableHomeOf(string nodeRunId) =>
        _unreachable.Count > 0 && _homes.TryGetValue(ShardOf(nodeRunId), out var home) && _unreachable.Contains(home) ? home : null;

    private static string ShardOf(string nodeRunId) => Shards.ShardId(nodeRunId);
}
