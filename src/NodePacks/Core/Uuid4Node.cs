using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Core;

public static class Uuid4Node
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "jarvis.core.uuid4",
        Version = CoreNodePack.PackVersion,
        Description = "Returns a fresh random (version 4) UUID.",
        InputSchema = Schemas.Object("{}"),
        OutputSchema = Schemas.Object("""{"uuid4": {"type": "string"}}""", required: ["uuid4"]),
        Tags = ["core"],
        Handler = (_, _, _) => ValueTask.FromResult(new JsonObject { ["uuid4"] = Guid.NewGuid().ToString("D") }),
    };
}
