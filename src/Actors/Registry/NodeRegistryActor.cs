using Akka.Actor;

namespace Jarvis.Actors.Registry;

public sealed record ResolveNodeType(string NodeTypeId);

public sealed record NodeTypeResolved(NodeRegistration Registration);

public sealed record NodeTypeUnknown(string NodeTypeId);

public sealed class ListNodeTypes
{
    public static readonly ListNodeTypes Instance = new();
    private ListNodeTypes() { }
}

public sealed record NodeTypeList(IReadOnlyCollection<NodeRegistration> Nodes);

/// <summary>Resolves a <c>node_type_id</c> to the Props that run it, from the catalog built at start.</summary>
public sealed class NodeRegistryActor : ReceiveActor
{
    public NodeRegistryActor(NodeCatalog catalog)
    {
        Receive<ResolveNodeType>(msg => Sender.Tell(catalog.TryGet(msg.NodeTypeId, out var registration)
            ? new NodeTypeResolved(registration)
            : new NodeTypeUnknown(msg.NodeTypeId)));
        Receive<ListNodeTypes>(_ => Sender.Tell(new NodeTypeList(catalog.All)));
    }

    public static Props Props(NodeCatalog catalog) => Akka.Actor.Props.Create(() => new NodeRegistryActor(catalog));
}
