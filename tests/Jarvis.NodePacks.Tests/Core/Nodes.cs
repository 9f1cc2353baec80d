using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Tests.Core;

/// <summary>Calls a node's handler directly, as the executor's adapter would.</summary>
internal static class Nodes
{
    public static NodeContext Context(NodeDefinition node) => new()
    {
        RunId = "run-1",
        NodeRunId = "node-run-1",
        NodeTypeId = node.NodeTypeId,
        Deadline = DateTimeOffset.UtcNow.AddMinutes(5),
    };

    public static Task<JsonObject> RunAsync(NodeDefinition node, string inputsJson, CancellationToken cancellation = default) =>
        node.Handler!(JsonObject(inputsJson), Context(node), cancellation).AsTask();

    public static JsonObject JsonObject(string json) => (JsonObject)JsonNode.Parse(json)!;
}
