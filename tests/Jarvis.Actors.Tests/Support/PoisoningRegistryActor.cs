using Akka.Actor;
using Jarvis.Actors.Registry;

namespace Jarvis.Actors.Tests.Support;

/// <summary>A node registry double: resolves through the real catalog, except one node type id, for which it hands
/// out a registration without validators, so the run actor itself throws (not the node) when it starts that run.</summary>
public sealed class PoisoningRegistryActor : ReceiveActor
{
    public const string PoisonedNodeTypeId = "test.poisoned_registration";

    public PoisoningRegistryActor(NodeCatalog catalog)
    {
        Receive<ResolveNodeType>(msg =>
        {
            if (msg.NodeTypeId == PoisonedNodeTypeId && catalog.TryGet(TestNodes.Instant, out var real))
                Sender.Tell(new NodeTypeResolved(real with { InputValidator = null! }));
            else
                Sender.Tell(catalog.TryGet(msg.NodeTypeId, out var registration)
                    ? new NodeTypeResolved(registration)
                    : new NodeTypeUnknown(msg.NodeTypeId));
        });
    }

    public static Props Props(NodeCatalog catalog) => Akka.Actor.Props.Create(() => new PoisoningRegistryActor(catalog));
}
