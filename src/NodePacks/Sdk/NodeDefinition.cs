using System.Text.Json.Nodes;
using Akka.Actor;

namespace Jarvis.NodePacks.Sdk;

/// <summary>A plain async node handler. It must honour <paramref name="cancellation"/>;
/// one that does not is abandoned at its deadline and counted as orphaned.</summary>
public delegate Task<JsonObject> NodeHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation);

public enum SideEffect { Read, Write, Irreversible }

public enum TrustTier { FirstParty, Verified, Community }

/// <summary>Hosts that a node may reach; null on a definition means it makes no network calls.</summary>
public sealed record EgressPolicy(IReadOnlyList<string> AllowedHosts);

/// <summary>Everything the executor knows about one installed node type.
/// Exactly one of <see cref="Handler"/> and <see cref="ActorProps"/> is set: an actor node
/// speaks the <see cref="RunNode"/> protocol itself, a plain handler gets the standard adapter.</summary>
public sealed record NodeDefinition
{
    public required string NodeTypeId { get; init; }
    public required string Version { get; init; }
    public required string Description { get; init; }
    public required JsonObject InputSchema { get; init; }
    public required JsonObject OutputSchema { get; init; }
    public SideEffect SideEffect { get; init; } = SideEffect.Read;
    public TrustTier TrustTier { get; init; } = TrustTier.FirstParty;
    public EgressPolicy? Egress { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public NodeHandler? Handler { get; init; }
    public Props? ActorProps { get; init; }
}
