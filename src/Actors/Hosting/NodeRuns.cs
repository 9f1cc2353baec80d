namespace Jarvis.Actors.Hosting;

/// <summary>ActorRegistry key of the actor that takes <c>ExecuteRun</c> and <c>CancelRun</c>: the run supervisor
/// on a single node. The HTTP layer only knows this key, never the mode.</summary>
public sealed class NodeRuns;

/// <summary>ActorRegistry key of the node registry actor.</summary>
public sealed class NodeTypes;
