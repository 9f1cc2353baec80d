using System.Globalization;
using Akka.Cluster.Sharding;
using Akka.Util;
using Jarvis.Actors.Supervision;

namespace Jarvis.Actors.Sharding;

/// <summary>Routes every message about one node_run_id to the entity of its shard, whichever node it was sent from.
/// The entity id is the shard id: one long-lived <see cref="RunShardEntity"/> per shard, rather than an entity spawned,
/// registered and passivated for every run.</summary>
public sealed class RunMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    /// <summary>Fixed for the life of a cluster: every node must agree on it. Ten times the largest cluster we
    /// expect keeps the shards of a node within about 10 % of each other.</summary>
    public const int ShardCount = 100;

    private static readonly string[] ShardIds =
        Enumerable.Range(0, ShardCount).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray();

    /// <summary>The shard of a node_run_id (the MurmurHash of the id, as Akka's <see cref="HashCodeMessageExtractor"/>).</summary>
    public static string ShardOf(string nodeRunId) => ShardIds[Math.Abs(MurmurHash.StringHash(nodeRunId) % ShardCount)];

    public override string? EntityId(object message) => message is IWithNodeRunId run ? ShardOf(run.NodeRunId) : null;

    public override string ShardId(string entityId, object? messageHint = null) => entityId;
}
