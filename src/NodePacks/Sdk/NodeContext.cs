using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Jarvis.NodePacks.Sdk;

/// <summary>Who called, under which budgets, with what shared clients: what a handler may know about its run.</summary>
public sealed record NodeContext
{
    public required string RunId { get; init; }
    public required string NodeRunId { get; init; }
    public required string NodeTypeId { get; init; }
    public required DateTimeOffset Deadline { get; init; }
    public CallerPrincipal Caller { get; init; } = CallerPrincipal.Anonymous;
    public ActivityContext Trace { get; init; }
    public JsonObject? Budgets { get; init; }
    /// <summary>Shared clients of the host (for example IHttpClientFactory).</summary>
    public IServiceProvider? Services { get; init; }
}

/// <summary>The authenticated caller: its subject and claims; anonymous when auth is off.</summary>
public sealed record CallerPrincipal(string? Subject, IReadOnlyDictionary<string, string> Claims)
{
    public static readonly CallerPrincipal Anonymous = new(null, new Dictionary<string, string>());
    public bool IsAnonymous => Subject is null;
}
