using Akka.Actor;

namespace Jarvis.Actors.Registry;

public sealed record ResolveNodeType(string NodeTypeId) : INoSerializationVerificationNeeded;

public sealed record NodeTypeResolved(NodeRegistration Registration) : INoSerializationVerificationNeeded;

public sealed record NodeTypeUnknown(string NodeTypeId) : INoSerializationVerificationNeeded;

public sealed class ListNodeTypes : INoSerializationVerificationNeeded
{
    public static readonly ListNodeTypes Instance = new();
    private ListNodeTypes() { }
}

public sealed record NodeTypeList(IReadOnlyCollection<NodeRegistration> Nodes) : INoSerializationVerificationNeeded;

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
