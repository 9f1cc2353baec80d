using System.Text.Json.Nodes;

namespace Jarvis.NodePacks.Sdk;

/// <summary>Sent once to a node's actor; it answers the sender with <see cref="NodeSucceeded"/>
/// or <see cref="NodeFailed"/>. The actor is stopped when the run ends, times out or is canceled.</summary>
public sealed record RunNode(JsonObject Inputs, NodeContext Context);

public sealed record NodeSucceeded(JsonObject Outputs);

public sealed record NodeFailed(Exception Cause);

/// <summary>Thrown by a handler whose inputs are wrong in a way its input schema cannot say.</summary>
public sealed class InvalidNodeInputsException(string message) : Exception(message);
