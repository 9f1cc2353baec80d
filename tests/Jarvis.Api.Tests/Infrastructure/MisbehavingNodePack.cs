using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.Api.Tests.Infrastructure;

/// <summary>Nodes that fail the ways no core node does: a handler that throws, one whose outputs break its schema.</summary>
public sealed class MisbehavingNodePack : INodePack
{
    public const string Throws = "test.throws";
    public const string BadOutputs = "test.bad_outputs";
    public const string Secret = "secret-internal-detail: Server=db;Password=hunter2";

    public string Id => "test.misbehaving";
    public string Version => "1.0.0";

    public IReadOnlyList<NodeDefinition> Nodes { get; } =
    [
        Node(Throws, (_, _, _) => throw new InvalidOperationException(Secret)),
        Node(BadOutputs, (_, _, _) => ValueTask.FromResult(new JsonObject { ["count"] = "seven" })) with
        {
            OutputSchema = JsonNode.Parse("""{"type":"object","required":["count"],"properties":{"count":{"type":"integer"}}}""")!.AsObject(),
        },
    ];

    private static NodeDefinition Node(string id, NodeHandler handler) => new()
    {
        NodeTypeId = id,
        Version = "1.0.0",
        Description = id,
        InputSchema = new JsonObject { ["type"] = "object" },
        OutputSchema = new JsonObject { ["type"] = "object" },
        Handler = handler,
    };

    public static string Request(string nodeTypeId) =>
        $$$"""{"node_run_id":"{{{ExecuteRequests.NewId()}}}","run_id":"r","node_type_ref":{"node_type_id":"{{{nodeTypeId}}}","version":"1.0.0"},"inputs":{}}""";
}
