namespace Jarvis.NodePacks.Sdk;

/// <summary>Where a node's outbound HTTP may go, as enforced by the executor's guarded HttpClient
/// (<see cref="NodeContextHttp.EgressGuardedHttpClient"/>). Host entries are names (<c>api.example.com</c>), suffix wildcards
/// (<c>*.example.com</c>), IP literals or CIDR ranges (<c>10.1.0.0/16</c>).</summary>
public sealed record EgressPolicy
{
    /// <summary>Empty: any host that is not blocked and resolves to public addresses.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];
    public IReadOnlyList<string> BlockedHosts { get; init; } = [];
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public long MaxResponseBytes { get; init; } = 1024 * 1024;
}
