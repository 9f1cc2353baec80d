using System.Collections.Frozen;
using Akka.Actor;
using Jarvis.Actors.Runs;
using Jarvis.NodePacks.Schema;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Actors.Registry;

/// <summary>The immutable set of installed nodes, built once at start from the node packs.</summary>
public sealed class NodeCatalog
{
    private readonly FrozenDictionary<string, NodeRegistration> _nodes;

    private NodeCatalog(FrozenDictionary<string, NodeRegistration> nodes) => _nodes = nodes;

    public IReadOnlyCollection<NodeRegistration> All => _nodes.Values;

    public bool TryGet(string nodeTypeId, out NodeRegistration registration) =>
        _nodes.TryGetValue(nodeTypeId, out registration!);

    /// <summary>Builds the catalog; a node id offered twice, a node with neither or both of a handler
    /// and actor Props, or an uncompilable schema is a start-up error naming the packs involved.</summary>
    public static NodeCatalog Build(IEnumerable<INodePack> packs, OrphanTracker orphans)
    {
        var nodes = new Dictionary<string, (NodeRegistration Registration, INodePack Pack)>(StringComparer.Ordinal);
        foreach (var pack in packs)
        foreach (var node in pack.Nodes)
        {
            if (nodes.TryGetValue(node.NodeTypeId, out var existing))
                throw new InvalidOperationException(existing.Pack.Id == pack.Id
                    // The same pack installed twice (e.g. in two JARVIS_NODEPACKS_PATH directories): say where from.
                    ? $"node type '{node.NodeTypeId}' is provided twice by node pack '{pack.Id}', from '{Origin(existing.Pack)}' and '{Origin(pack)}'"
                    : $"node type '{node.NodeTypeId}' is provided by both node pack '{existing.Pack.Id}' and '{pack.Id}'");
            nodes[node.NodeTypeId] = (Register(pack, node, orphans), pack);
        }
        return new NodeCatalog(nodes.ToFrozenDictionary(n => n.Key, n => n.Value.Registration, StringComparer.Ordinal));
    }

    private static string Origin(INodePack pack) =>
        pack.GetType().Assembly.Location is { Length: > 0 } file ? file : pack.GetType().FullName ?? pack.GetType().Name;

    private static NodeRegistration Register(INodePack pack, NodeDefinition node, OrphanTracker orphans)
    {
        if ((node.Handler is null) == (node.ActorProps is null))
            throw new InvalidOperationException(
                $"node type '{node.NodeTypeId}' in pack '{pack.Id}' must have exactly one of a handler and actor Props");
        try
        {
            return new NodeRegistration(pack.Id, pack.Version, node, node.ActorProps, JsonSchemaValidator.Compile(node.InputSchema),
                JsonSchemaValidator.Compile(node.OutputSchema), orphans);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
        {
            throw new InvalidOperationException($"node type '{node.NodeTypeId}' in pack '{pack.Id}' has an invalid schema: {e.Message}");
        }
    }
}
