using System.Globalization;
using System.Text.Json.Nodes;
using Jarvis.NodePacks.Sdk;

namespace Jarvis.NodePacks.Core;

public static class TimeNowNode
{
    public static readonly NodeDefinition Definition = new()
    {
        NodeTypeId = "jarvis.core.time.now",
        Version = CoreNodePack.PackVersion,
        Description = "Returns the current time as an ISO-8601 UTC timestamp.",
        InputSchema = Schemas.Object("{}"),
        OutputSchema = Schemas.Object("""{"time": {"type": "string", "format": "date-time"}}""", required: ["time"]),
        Tags = ["core"],
        Handler = (_, _, _) => ValueTask.FromResult(new JsonObject
        {
            ["time"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        }),
    };
}
