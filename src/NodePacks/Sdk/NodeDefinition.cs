using System.Text.Json.Nodes;
using Akka.Actor;

namespace Jarvis.NodePacks.Sdk;

/// <summary>A plain async node handler. It must honour <paramref name="cancellation"/>;
/// one that does not is abandoned at its deadline and counted as orphaned.</summary>
public delegate ValueTask<JsonObject> NodeHandler(JsonObject inputs, NodeContext context, CancellationToken cancellation);

public enum SideEffect { Read, Write, Irreversible }

public enum TrustTier { FirstParty, Verified, Community }

/// <summary>Everything the executor knows about one installed node type.
/// Exactly one of <see cref="Handler"/> and <see cref="ActorProps"/> is set: an actor node
/// speaks the <see cref="RunNode"/> protocol itself, a plain handler gets the standard adapter.</summary>
public sealed record NodeDefinition
{
    public required string NodeTypeId { get; init; }
    public required string Version { get; init; }
    public required string Description { get; init; }
    /// <summary>A JSON Schema for <c>inputs</c>, checked by the executor before the handler runs.</summary>
    public required JsonObject InputSchema { get; init; }
    /// <summary>A JSON Schema for what the handler returns, checked before the run succeeds.</summary>
    public required JsonObject OutputSchema { get; init; }
    /// <summary>The name within its pack (published as <c>jarvis.node_name</c>); null means the node id
    /// without the pack id prefix.</summary>
    public string? Name { get; init; }
    public SideEffect SideEffect { get; init; } = SideEffect.Read;
    public TrustTier TrustTier { get; init; } = TrustTier.FirstParty;
    /// <summary>Where the node may send network traffic; null means it makes no network calls.</summary>
    public EgressPolicy? Egress { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];
    public NodeHandler? Handler { get; init; }
    public Props? ActorProps { get; init; }

    /// <summary>The name published for this node when it belongs to <paramref name="packId"/>.</summary>
    public string NameIn(string packId) =>
        Name ?? (NodeTypeId.Length > packId.Length + 1 && NodeTypeId.StartsWith(packId + ".", StringComparison.Ordinal)
            ? NodeTypeId[(packId.Length + 1)..]
            : NodeTypeId);
}
