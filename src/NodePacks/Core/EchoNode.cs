using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Core;

public static class EchoNode
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "jarvis.core.echo",
        Version = CoreNodePack.PackVersion,
        Description = "Returns its `echo` input unchanged.",
        InputSchema = Schemas.Object("""{"echo": {"type": "string"}}""", required: ["echo"]),
        OutputSchema = Schemas.Object("""{"echo": {"type": "string"}}""", required: ["echo"]),
        Tags = ["core", "debug"],
        Handler = (inputs, _, _) => ValueTask.FromResult(new JsonObject { ["echo"] = inputs["echo"]!.DeepClone() }),
    };
}
