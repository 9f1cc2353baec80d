using System.Text.Json.Nodes;

namespace Jarvis.Actors.Runs;

public enum RunState { Succeeded, Failed, Canceled }

public static class RunStates
{
    /// <summary>The ARP wire name of a final state.</summary>
    public static string Name(RunState state) => state switch
    {
        RunState.Succeeded => "succeeded",
        RunState.Failed => "failed",
        _ => "canceled",
    };
}

/// <summary>The error codes of a finished run (DESIGN §3).</summary>
public static class RunErrorCodes
{
    public const string UnknownNodeType = "unknown_node_type";
    public const string InvalidInputs = "invalid_inputs";
    public const string InvalidOutputs = "invalid_outputs";
    public const string HandlerError = "handler_error";
    public const string Timeout = "timeout";
    public const string Canceled = "canceled";
    /// <summary>The run's node could not finish or answer it (lost, or stopped under the service); retryable.</summary>
    public const string ExecutorUnavailable = "executor_unavailable";
}

public sealed record RunError(string Code, string Message, bool? Retryable = null, JsonObject? Details = null);

/// <summary>What a run ended with. Never mutated after it is built; it may be sent to many callers.</summary>
public sealed record RunResult(
    string NodeRunId,
    RunState State,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    Utf8JsonObject? Outputs = null,
    RunError? Error = null)
{
    public bool IsRetryable => Error?.Retryable == true;

    public static RunResult Succeeded(string nodeRunId, DateTimeOffset startedAt, Utf8JsonObject outputs) =>
        new(nodeRunId, RunState.Succeeded, startedAt, DateTimeOffset.UtcNow, outputs);

    public static RunResult Failed(string nodeRunId, DateTimeOffset startedAt, RunError error) =>
        new(nodeRunId, RunState.Failed, startedAt, DateTimeOffset.UtcNow, Error: error);

    public static RunResult Canceled(string nodeRunId, DateTimeOffset startedAt, string message) =>
        new(nodeRunId, RunState.Canceled, startedAt, DateTimeOffset.UtcNow, Error: new RunError(RunErrorCodes.Canceled, message));

    public static RunResult TimedOut(string nodeRunId, DateTimeOffset startedAt, TimeSpan deadline, string? when = null) =>
        Failed(nodeRunId, startedAt, new RunError(RunErrorCodes.Timeout,
            $"the run exceeded its deadline of {deadline.TotalMilliseconds:0} ms{(when is null ? "" : " " + when)}", Retryable: true));
}
