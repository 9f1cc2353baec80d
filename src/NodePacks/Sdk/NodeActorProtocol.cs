using System.Text.RegularExpressions;
using System.Text.Json.Nodes;

namespace Jarvis.NodePacks.Sdk;

/// <summary>Sent once to a node's actor; it answers the sender with <see cref="NodeSucceeded"/>
/// or <see cref="NodeFailed"/>. The actor is stopped when the run ends, times out or is canceled.</summary>
public sealed record RunNode(JsonObject Inputs, NodeContext Context) : Akka.Actor.INoSerializationVerificationNeeded;

public sealed record NodeSucceeded(JsonObject Outputs) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>A <see cref="NodeFailureException"/> or <see cref="InvalidNodeInputsException"/> as the cause
/// reaches the caller as it is; any other exception is reported as <c>handler_error</c> and logged.</summary>
public sealed record NodeFailed(Exception Cause) : Akka.Actor.INoSerializationVerificationNeeded;

/// <summary>Thrown by a handler whose inputs are wrong in a way its input schema cannot say.</summary>
public sealed class InvalidNodeInputsException(string message) : Exception(message);

/// <summary>Thrown by a handler to fail its run with its own error code (snake_case, e.g. <c>egress_denied</c>)
/// and a message meant for the caller; <paramref name="retryable"/> says whether the same request may succeed later.</summary>
public sealed partial class NodeFailureException(string code, string message, bool retryable = false, JsonObject? details = null)
    : Exception(message)
{
    public string Code { get; } = SnakeCase().IsMatch(code)
        ? code
        : throw new ArgumentException($"error code '{code}' is not snake_case (a-z, 0-9, _; at most 64 characters)", nameof(code));
    public bool Retryable { get; } = retryable;
    public JsonObject? Details { get; } = details;

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$")]
    private static partial Regex SnakeCase();
}
