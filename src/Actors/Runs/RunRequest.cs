using System.Diagnostics;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Runs;

/// <summary>A validated execute request, as the actors see it. Treated as immutable once built.</summary>
public sealed record RunRequest
{
    public required string NodeRunId { get; init; }
    public required string RunId { get; init; }
    public required string NodeTypeId { get; init; }
    public required string NodeTypeVersion { get; init; }
    /// <summary>The request's <c>node_type_ref</c> as sent: with <see cref="Inputs"/> it decides whether
    /// two executes for one node_run_id are the same request.</summary>
    public required JsonObject NodeTypeRef { get; init; }
    public required JsonObject Inputs { get; init; }
    /// <summary><c>constraints.budgets.max_wall_time_ms</c>, when the caller set one.</summary>
    public TimeSpan? MaxWallTime { get; init; }
    public JsonObject? Budgets { get; init; }
    public ActivityContext Trace { get; init; }
    public CallerPrincipal Caller { get; init; } = CallerPrincipal.Anonymous;

    private UInt128? _fingerprint;

    /// <summary>Computed once, on first use; the HTTP layer touches it so the hashing happens on its thread,
    /// not on the supervisor's.</summary>
    public UInt128 Fingerprint => _fingerprint ??= RequestFingerprint.Of(NodeTypeRef, Inputs);

    /// <summary>A fingerprint computed by the node that parsed the request; it travels with the request in cluster mode.</summary>
    internal UInt128 KnownFingerprint { init => _fingerprint = value; }

}
