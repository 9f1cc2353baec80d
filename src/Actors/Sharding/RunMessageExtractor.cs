using Akka.Cluster.Sharding;
using Jarvis.Actors.Supervision;

namespace Jarvis.Actors.Sharding;

/// <summary>Routes every message about one node_run_id to one entity, whichever node it was sent from.</summary>
public sealed class RunMessageExtractor() : HashCodeMessageExtractor(ShardCount)
{
    /// <summary>Fixed for the life of a cluster: every node must agree on it. Ten times the largest cluster we
    /// expect keeps the shards of a node within about 10 % of each other.</summary>
    public const int ShardCount = 100;

    public override string? EntityId(object message) => (message as IWithNodeRunId)?.NodeRunId;
}
