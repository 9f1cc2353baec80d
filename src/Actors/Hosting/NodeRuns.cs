namespace Jarvis.Actors.Hosting;

/// <summary>ActorRegistry key of the actor that takes <c>ExecuteRun</c> and <c>CancelRun</c> (and load and drain
/// requests): the run supervisor on a single node, the run gateway in cluster mode. The HTTP layer only knows this
/// key, never the mode.</summary>
public sealed class NodeRuns;

/// <summary>ActorRegistry key of this node's run supervisor: admission, runs, stored results.</summary>
public sealed class LocalRuns;

/// <summary>ActorRegistry key of the run shard region (cluster mode).</summary>
public sealed class RunShards;

/// <summary>ActorRegistry key of the node registry actor.</summary>
public sealed class NodeTypes;
